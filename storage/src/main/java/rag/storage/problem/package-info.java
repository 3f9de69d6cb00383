/**
 * The registry of problem types ({@link rag.storage.problem.ProblemType}) that every layer reports failures with, and
 * the one exception ({@link rag.storage.problem.InvalidInputException}) that marks a caller's input as the cause.
 */
package rag.storage.problem;
