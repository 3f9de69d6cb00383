/** Benchmarks with their own commands (see docs/benchmarks.md); never on the service's class path. */
package rag.bench;
