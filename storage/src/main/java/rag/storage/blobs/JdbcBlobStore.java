package rag.storage.blobs;

import static rag.storage.jdbc.Jdbc.params;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import javax.sql.DataSource;
import rag.storage.jdbc.Jdbc;

/**
 * Blobs in the {@code blobs} table, in parts of {@link #PART_BYTES} so that no statement carries a whole large file;
 * written and renamed in one transaction each, so a reader sees all of a blob's parts or none.
 */
public final class JdbcBlobStore implements BlobStore {
  static final int PART_BYTES = 1 << 20;

  private final Jdbc jdbc;

  public JdbcBlobStore(DataSource dataSource) {
    this.jdbc = new Jdbc(dataSource);
  }

  @Override
  public void put(String name, Path file) {
    jdbc.inTransaction("cannot store " + name, c -> {
      Jdbc.update(c, "DELETE FROM blobs WHERE name = ?", params(name));
      long now = System.currentTimeMillis();
      try (InputStream in = Files.newInputStream(file);
          PreparedStatement ps = c.prepareStatement(
              "INSERT INTO blobs (name, part, bytes, created_at) VALUES (?, ?, ?, ?)")) {
        int part = 0;
        byte[] bytes;
        do { // an empty file is one empty part
          bytes = in.readNBytes(PART_BYTES);
          ps.setString(1, name);
          ps.setInt(2, part++);
          ps.setBytes(3, bytes);
          ps.setLong(4, now);
          ps.executeUpdate();
        } while (bytes.length == PART_BYTES);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file + " to store it as " + name, e);
      }
      return null;
    });
  }

  @Override
  public boolean copyTo(String name, Path target) {
    return jdbc.inTransaction("cannot read " + name, c -> {
      Path part = target.resolveSibling(target.getFileName() + ".part");
      boolean found = false;
      try (PreparedStatement ps = c.prepareStatement("SELECT bytes FROM blobs WHERE name = ? ORDER BY part")) {
        ps.setString(1, name);
        ps.setFetchSize(1);
        try (ResultSet rs = ps.executeQuery(); OutputStream out = Files.newOutputStream(part)) {
          while (rs.next()) {
            found = true;
            out.write(rs.getBytes(1));
          }
        }
        if (found) {
          Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        return found;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + name + " to " + target, e);
      } finally {
        deleteQuietly(part);
      }
    });
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // a leftover .part file is replaced by the next copy
    }
  }

  @Override
  public boolean exists(String name) {
    return !jdbc.query("cannot read " + name, "SELECT 1 FROM blobs WHERE name = ? AND part = 0", params(name),
        rs -> rs.getInt(1)).isEmpty();
  }

  @Override
  public boolean rename(String from, String to) {
    return jdbc.inTransaction("cannot rename " + from + " to " + to, c -> {
      if (Jdbc.queryFirst(c, "SELECT 1 FROM blobs WHERE name = ? AND part = 0", params(from), rs -> 1).isEmpty()) {
        return false;
      }
      Jdbc.update(c, "DELETE FROM blobs WHERE name = ?", params(to));
      Jdbc.update(c, "UPDATE blobs SET name = ? WHERE name = ?", params(to, from));
      return true;
    });
  }

  @Override
  public void delete(String name) {
    jdbc.update("cannot delete " + name, "DELETE FROM blobs WHERE name = ?", params(name));
  }

  @Override
  public int deletePrefix(String prefix) {
    String escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    return jdbc.update("cannot delete the blobs under " + prefix, "DELETE FROM blobs WHERE name LIKE ? ESCAPE '\\'",
        params(escaped + "%"));
  }
}
