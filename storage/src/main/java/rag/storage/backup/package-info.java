/**
 * Backups of the embedded store while the service runs, and their restore into an empty data directory:
 * {@link rag.storage.backup.Backups}.
 */
package rag.storage.backup;
