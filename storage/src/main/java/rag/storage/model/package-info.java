/**
 * The archive's data model: collections, versioned documents and their chunks with provenance.
 * Immutable records only; no I/O.
 */
package rag.storage.model;
