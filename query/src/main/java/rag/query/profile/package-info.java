/** Model profiles: where a model is served and the window it was deployed with, by name. */
package rag.query.profile;
