package io.automerge.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.automerge.InvalidInputException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The files of a declared split: {@code .jsonl} (one JSON object a line) or {@code .txt} (the
 * whole file is one document); a directory means every such file in it, sorted by name. Errors
 * name the file and line.
 */
public final class DataFiles {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One JSONL record and where it came from, for messages. */
  public record Line(Path file, int number, JsonNode json) {
    public String where() {
      return file + ":" + number;
    }

    /** A string field; one line naming file, line and field when it is missing or not a string. */
    public String text(String field) {
      JsonNode v = json.get(field);
      if (v == null || !v.isTextual()) {
        throw new InvalidInputException(where() + ": field '" + field + "' " + (v == null ? "is missing" : "is not a string"));
      }
      return v.asText();
    }
  }

  /** A document: a JSONL line's field or a whole .txt file. */
  public record Document(String where, String text) {}

  private DataFiles() {}

  /** The data files named by {@code paths} (files or directories), in order; none is an error. */
  public static List<Path> list(List<String> paths, String field) {
    List<Path> out = new ArrayList<>();
    for (String p : paths) {
      Path path = Path.of(p);
      if (Files.isDirectory(path)) {
        try (Stream<Path> s = Files.list(path)) {
          List<Path> inDir = s.filter(Files::isRegularFile).filter(DataFiles::isData).sorted().toList();
          if (inDir.isEmpty()) {
            throw new InvalidInputException(field + ": " + path + " holds no .jsonl or .txt file");
          }
          out.addAll(inDir);
        } catch (IOException e) {
          throw new InvalidInputException(field + ": " + path + " cannot be listed (" + e.getMessage() + ")", e);
        }
      } else if (Files.isRegularFile(path)) {
        if (!isData(path)) {
          throw new InvalidInputException(field + ": " + path + " is neither .jsonl nor .txt");
        }
        out.add(path);
      } else {
        throw new InvalidInputException(field + ": " + path + " does not exist");
      }
    }
    for (Path file : out) {
      if (size(file) == 0) {
        throw new InvalidInputException(file + ": empty data file");
      }
    }
    return out;
  }

  /** Every JSONL record of the files (blank lines skipped); a .txt file is refused here. */
  public static List<Line> jsonl(List<Path> files, String field) {
    List<Line> out = new ArrayList<>();
    for (Path file : files) {
      if (!file.getFileName().toString().endsWith(".jsonl")) {
        throw new InvalidInputException(field + ": " + file + " is not a .jsonl file (this task type reads JSONL records)");
      }
      try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        int number = 0;
        for (String line; (line = in.readLine()) != null; ) {
          number++;
          if (line.isBlank()) {
            continue;
          }
          JsonNode json;
          try {
            json = JSON.readTree(line);
          } catch (IOException e) {
            throw new InvalidInputException(file + ":" + number + ": not valid JSON ("
                + String.valueOf(e.getMessage()).lines().findFirst().orElse("") + ")");
          }
          if (json == null || !json.isObject()) {
            throw new InvalidInputException(file + ":" + number + ": expected a JSON object");
          }
          out.add(new Line(file, number, json));
        }
      } catch (CharacterCodingException e) {
        throw new InvalidInputException(file + ": not UTF-8 text", e);
      } catch (IOException e) {
        throw new InvalidInputException(file + ": unreadable (" + e.getMessage() + ")", e);
      }
    }
    return out;
  }

  /** Documents: the {@code textField} of every JSONL line, and every .txt file whole. */
  public static List<Document> documents(List<Path> files, String textField) {
    List<Document> out = new ArrayList<>();
    for (Path file : files) {
      if (file.getFileName().toString().endsWith(".txt")) {
        try {
          out.add(new Document(file.toString(), Files.readString(file, StandardCharsets.UTF_8)));
        } catch (IOException e) {
          throw new InvalidInputException(file + ": unreadable or not UTF-8 text (" + e.getMessage() + ")", e);
        }
      } else {
        for (Line line : jsonl(List.of(file), textField)) {
          out.add(new Document(line.where(), line.text(textField)));
        }
      }
    }
    return out;
  }

  private static boolean isData(Path p) {
    String name = p.getFileName().toString();
    return name.endsWith(".jsonl") || name.endsWith(".txt");
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      throw new InvalidInputException(p + ": unreadable (" + e.getMessage() + ")", e);
    }
  }
}
