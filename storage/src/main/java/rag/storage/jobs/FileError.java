package rag.storage.jobs;

/** Why a file failed, as the API reports it: a problem type, its title, and a detail for people. */
public record FileError(String type, String title, String detail) {}
