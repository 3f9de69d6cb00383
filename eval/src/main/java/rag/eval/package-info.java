/** Evaluation: needle-in-a-haystack grids, BEIR datasets and metrics, reports. Built under the eval issue. */
package rag.eval;
