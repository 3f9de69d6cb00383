/**
 * The planner. In: a {@link rag.query.plan.PlanRequest} and a {@link rag.query.profile.ModelProfile}.
 * Out: a {@link rag.query.plan.Plan} that stuffs the whole scope or packs the best chunks, and says
 * why, with its token counts (from counts stored at ingest, plus a safety margin).
 */
package rag.query.plan;
