package rag.query.chat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import rag.storage.problem.InvalidInputException;

/**
 * One JSON-lines file per conversation under a directory: a header line, then one line per turn,
 * each append written and forced to disk. A torn last line (a crash while appending) is ignored.
 */
public final class FileConversationStore implements ConversationStore {
  private static final Pattern ID = Pattern.compile("[0-9a-f-]{36}");
  private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private record Header(String id, String collection, String profile, String title, Instant createdAt, String owner) {}

  private final Path dir;

  public FileConversationStore(Path dir) {
    this.dir = dir;
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the conversations directory " + dir, e);
    }
  }

  @Override
  public synchronized Conversation create(String collection, String profile, String title, String owner) {
    Header header = new Header(UUID.randomUUID().toString(), collection, profile, title, Instant.now(), owner);
    write(file(header.id()), List.of(header), true);
    return new Conversation(header.id(), collection, profile, title, header.createdAt(), List.of(), owner);
  }

  @Override
  public synchronized Optional<Conversation> find(String id) {
    if (id == null || !ID.matcher(id).matches() || !Files.exists(file(id))) {
      return Optional.empty();
    }
    return Optional.of(read(file(id)));
  }

  @Override
  public synchronized Conversation append(String id, List<Turn> turns) {
    if (find(id).isEmpty()) {
      throw new InvalidInputException("no conversation with id '" + id + "'");
    }
    write(file(id), new ArrayList<>(turns), false);
    return read(file(id));
  }

  @Override
  public synchronized List<Conversation> list(String collection, int limit) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".jsonl")).map(this::read)
          .filter(c -> collection == null || collection.equals(c.collection()))
          .sorted(Comparator.comparing(Conversation::createdAt).reversed()).limit(limit).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list conversations in " + dir, e);
    }
  }

  @Override
  public synchronized int deleteAll(String collection, Instant startedBefore) {
    int deleted = 0;
    for (Conversation c : list(collection, Integer.MAX_VALUE)) {
      if (c.createdAt().isBefore(startedBefore)) {
        try {
          Files.deleteIfExists(file(c.id()));
        } catch (IOException e) {
          throw new UncheckedIOException("cannot delete conversation file " + file(c.id()), e);
        }
        deleted++;
      }
    }
    return deleted;
  }

  private Path file(String id) {
    return dir.resolve(id + ".jsonl");
  }

  private static void write(Path file, List<?> records, boolean create) {
    StringBuilder lines = new StringBuilder();
    try {
      for (Object r : records) {
        lines.append(JSON.writeValueAsString(r)).append('\n');
      }
      try (FileChannel ch = FileChannel.open(file, create
          ? new StandardOpenOption[] {StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE}
          : new StandardOpenOption[] {StandardOpenOption.APPEND, StandardOpenOption.WRITE})) {
        ByteBuffer bytes = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
          ch.write(bytes);
        }
        ch.force(true);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write conversation file " + file, e);
    }
  }

  private Conversation read(Path file) {
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      Header h = JSON.readValue(lines.get(0), Header.class);
      List<Turn> turns = new ArrayList<>();
      for (String line : lines.subList(1, lines.size())) {
        try {
          turns.add(JSON.readValue(line, Turn.class));
        } catch (IOException torn) {
          break; // a crash while appending: keep what was complete
        }
      }
      return new Conversation(h.id(), h.collection(), h.profile(), h.title(), h.createdAt(), turns, h.owner());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read conversation file " + file, e);
    }
  }
}
