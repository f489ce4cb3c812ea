package org.pingdialer.host;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The programs a shell script runs, read from its text: the words in command position of every
 * simple command, including those inside {@code $(...)}, {@code "...$(...)..."} and {@code sh -c
 * "..."}, past assignments, redirections and wrappers ({@code exec}, {@code unshare ... --}, {@code
 * chroot DIR}, {@code runuser ... --}, and the script's own functions that run {@code "$@"}).
 *
 * <p>A reader for the shell our scripts are written in, not a full parser: it knows quotes,
 * comments, substitutions, case patterns and function definitions, which is what it takes to see
 * every program without mistaking a message's words for one. Builtins, keywords and the script's
 * own functions are left out; a path built from a variable ({@code "$bin/initdb"}) counts by its
 * file name; a bare variable ({@code "$@"}) cannot be known and is skipped.
 */
final class ScriptCommands {
  private static final Set<String> BUILTINS =
      Set.of(
          ":",
          ".",
          "[",
          "[[",
          "]]",
          "alias",
          "bg",
          "break",
          "builtin",
          "caller",
          "cd",
          "command",
          "compgen",
          "continue",
          "declare",
          "dirs",
          "disown",
          "echo",
          "enable",
          "eval",
          "exec",
          "exit",
          "export",
          "false",
          "fg",
          "getopts",
          "hash",
          "jobs",
          "kill",
          "let",
          "local",
          "mapfile",
          "popd",
          "printf",
          "pushd",
          "pwd",
          "read",
          "readarray",
          "readonly",
          "return",
          "set",
          "shift",
          "shopt",
          "source",
          "test",
          "trap",
          "true",
          "type",
          "typeset",
          "ulimit",
          "umask",
          "unalias",
          "unset",
          "wait");
  private static final Set<String> KEYWORDS =
      Set.of("if", "then", "else", "elif", "fi", "do", "done", "while", "until", "!", "{", "}");
  private static final Pattern ASSIGNMENT =
      Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*(\\[.*])?\\+?=.*");
  private static final Pattern REDIRECT = Pattern.compile("^[0-9]*(>>?|<<?<?|>&|<&|&>)(.*)$");
  private static final Pattern VARIABLE_PATH =
      Pattern.compile("^\\$\\{?[A-Za-z_][A-Za-z0-9_]*}?(/[^/$]+)*/([A-Za-z0-9._+-]+)$");
  private static final Pattern FUNCTION = Pattern.compile("^([A-Za-z_][A-Za-z0-9_-]*)\\(\\)$");

  private final Set<String> functions = new HashSet<>();
  private final Set<String> wrappers = new HashSet<>();
  private final Set<String> commands = new LinkedHashSet<>();

  private ScriptCommands() {}

  /** The programs {@code script} runs, by file name (builtins and its functions left out). */
  static Set<String> of(String script) {
    var reader = new ScriptCommands();
    // First pass: the functions, and which of them run their arguments as a command.
    reader.read(script, null);
    reader.commands.clear();
    reader.read(script, null);
    reader.commands.removeAll(reader.functions);
    return reader.commands;
  }

  /** One token: a word (quotes kept) or an operator. */
  private record Token(String text, boolean operator) {}

  private void read(String text, String enclosingFunction) {
    List<Token> tokens = tokens(text);
    List<String> words = new ArrayList<>();
    Deque<Boolean> casePattern = new ArrayDeque<>(); // one per open case: in its pattern part?
    String function = enclosingFunction;
    int braceDepth = 0;
    int functionDepth = -1;
    for (int i = 0; i <= tokens.size(); i++) {
      Token token = i < tokens.size() ? tokens.get(i) : new Token("\n", true);
      if (!casePattern.isEmpty() && casePattern.peek()) {
        // A case pattern runs up to its ")"; "esac" ends the case.
        if (!token.operator() && token.text().equals("esac")) {
          casePattern.pop();
        } else if (token.operator() && token.text().equals(")")) {
          casePattern.pop();
          casePattern.push(false);
        }
        continue;
      }
      if (!token.operator()) {
        words.add(token.text());
        continue;
      }
      String op = token.text();
      if (!words.isEmpty()) {
        String first = words.getFirst();
        boolean opensBrace = first.equals("{") || words.getLast().equals("{");
        Matcher definition = FUNCTION.matcher(first);
        if (definition.matches() || (words.size() >= 2 && first.equals("function"))) {
          function = definition.matches() ? definition.group(1) : words.get(1);
          functions.add(function);
          functionDepth = braceDepth;
          // "name() { cmd ...; }" on one line: the body's first command follows the brace.
          int brace = words.indexOf("{");
          if (brace >= 0 && brace + 1 < words.size()) {
            command(new ArrayList<>(words.subList(brace + 1, words.size())), function);
            opensBrace = true;
          }
        } else if (first.equals("case")) {
          // "case WORD in [PATTERN]": a pattern already ended by this ")" leaves its body next.
          int in = words.indexOf("in");
          boolean patternDone = op.equals(")") && in >= 0 && in + 1 < words.size();
          casePattern.push(!patternDone);
        } else if (first.equals("esac") && !casePattern.isEmpty()) {
          casePattern.pop();
        } else if (!first.equals("for")) { // for NAME in WORDS: no command in it
          command(words, function);
        }
        if (opensBrace) {
          braceDepth++;
        }
        if (first.equals("}")) {
          braceDepth--;
          if (braceDepth == functionDepth) {
            function = enclosingFunction;
            functionDepth = -1;
          }
        }
        words.clear();
      }
      if (op.equals(";;") && !casePattern.isEmpty()) {
        casePattern.pop();
        casePattern.push(true);
      }
    }
  }

  private void command(List<String> words, String function) {
    int at = 0;
    while (at < words.size()) {
      String word = words.get(at);
      if (KEYWORDS.contains(word) || ASSIGNMENT.matcher(word).matches()) {
        at++;
      } else if (REDIRECT.matcher(word).matches()) {
        // "2>&1", ">file" and "> file": skip the operator and, when apart, its target.
        at += REDIRECT.matcher(word).replaceAll("$2").isEmpty() ? 2 : 1;
      } else {
        break;
      }
    }
    if (at >= words.size()) {
      return;
    }
    String word = unquote(words.get(at));
    List<String> rest = words.subList(at + 1, words.size());
    switch (word) {
      case "exec", "setsid", "nohup", "sudo", "time" -> command(new ArrayList<>(rest), function);
      case "command" -> {
        if (!rest.isEmpty() && !rest.getFirst().startsWith("-")) {
          command(new ArrayList<>(rest), function);
        }
      }
      case "unshare", "runuser" -> {
        int dashes = rest.indexOf("--");
        add(word);
        if (dashes >= 0) {
          command(new ArrayList<>(rest.subList(dashes + 1, rest.size())), function);
        }
      }
      case "chroot" -> {
        add(word);
        if (rest.size() > 1) {
          command(new ArrayList<>(rest.subList(1, rest.size())), function);
        }
      }
      case "sh", "bash" -> {
        add(word);
        int dashC = rest.indexOf("-c");
        if (dashC >= 0 && dashC + 1 < rest.size()) {
          read(unquote(rest.get(dashC + 1)), function);
        }
      }
      default -> {
        if (word.equals("$@") && function != null) {
          wrappers.add(function);
        } else if (wrappers.contains(word) && !rest.isEmpty()) {
          command(new ArrayList<>(rest), function);
        } else if (word.startsWith("$")) {
          Matcher path = VARIABLE_PATH.matcher(word);
          if (path.matches()) {
            add(path.group(2));
          }
        } else if (!BUILTINS.contains(word) && !word.isEmpty()) {
          add(word.substring(word.lastIndexOf('/') + 1));
        }
      }
    }
  }

  private void add(String program) {
    commands.add(program);
  }

  /** The word without its quotes (a word of one quoted piece, as command words are). */
  private static String unquote(String word) {
    var out = new StringBuilder();
    char quote = 0;
    for (int i = 0; i < word.length(); i++) {
      char c = word.charAt(i);
      if (quote == 0 && (c == '"' || c == '\'')) {
        quote = c;
      } else if (quote != 0 && c == quote) {
        quote = 0;
      } else if (c == '\\' && quote != '\'' && i + 1 < word.length()) {
        out.append(word.charAt(++i));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * Splits {@code text} into words and operators. Comments are dropped; the commands inside {@code
   * $(...)} and backquotes (also within double quotes) are read on the spot, and the substitution
   * stays in its word as {@code $_}.
   */
  private List<Token> tokens(String text) {
    List<Token> tokens = new ArrayList<>();
    var word = new StringBuilder();
    int i = 0;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (c == '\\' && i + 1 < n) {
        if (text.charAt(i + 1) != '\n') {
          word.append(c).append(text.charAt(i + 1));
        }
        i += 2;
      } else if (c == '\'') {
        int end = text.indexOf('\'', i + 1);
        end = end < 0 ? n - 1 : end;
        word.append(text, i, end + 1);
        i = end + 1;
      } else if (c == '"') {
        word.append('"');
        i++;
        while (i < n && text.charAt(i) != '"') {
          if (text.charAt(i) == '\\' && i + 1 < n) {
            word.append(text, i, i + 2);
            i += 2;
          } else if (text.startsWith("$(", i) && !text.startsWith("$((", i)) {
            int end = closing(text, i + 1);
            read(text.substring(i + 2, end), null);
            word.append("$_");
            i = end + 1;
          } else if (text.charAt(i) == '`') {
            int end = text.indexOf('`', i + 1);
            end = end < 0 ? n - 1 : end;
            read(text.substring(i + 1, end), null);
            word.append("$_");
            i = end + 1;
          } else {
            word.append(text.charAt(i++));
          }
        }
        word.append('"');
        i++;
      } else if (text.startsWith("$((", i)) {
        int end = closing(text, i + 1);
        word.append("$_");
        i = end + 1;
      } else if (text.startsWith("$(", i)) {
        int end = closing(text, i + 1);
        read(text.substring(i + 2, end), null);
        word.append("$_");
        i = end + 1;
      } else if (text.startsWith("${", i)) {
        int end = text.indexOf('}', i);
        end = end < 0 ? n - 1 : end;
        word.append(text, i, end + 1);
        i = end + 1;
      } else if (c == '`') {
        int end = text.indexOf('`', i + 1);
        end = end < 0 ? n - 1 : end;
        read(text.substring(i + 1, end), null);
        word.append("$_");
        i = end + 1;
      } else if (c == '#' && word.isEmpty()) {
        while (i < n && text.charAt(i) != '\n') {
          i++;
        }
      } else if (c == ' ' || c == '\t') {
        flush(tokens, word);
        i++;
      } else if (c == '\n' || c == ';' || c == '&' || c == '|' || c == '(' || c == ')') {
        // A redirection such as 2>&1 or >&2 keeps its "&" in the word.
        if (c == '&' && !word.isEmpty() && word.charAt(word.length() - 1) == '>') {
          word.append(c);
          i++;
          continue;
        }
        if (c == '(' && !word.isEmpty()) {
          word.append(c); // "name()" of a function definition, or "a=(...)" of an array
          i++;
          if (i < n && text.charAt(i) == ')') {
            word.append(')');
            i++;
          } else {
            int end = closing(text, i - 1);
            word.append(text, i, end + 1);
            i = end + 1;
          }
          continue;
        }
        flush(tokens, word);
        String op = text.startsWith(";;", i) ? ";;" : String.valueOf(c);
        tokens.add(new Token(op, true));
        i += op.length();
      } else {
        word.append(c);
        i++;
      }
    }
    flush(tokens, word);
    return tokens;
  }

  private static void flush(List<Token> tokens, StringBuilder word) {
    if (!word.isEmpty()) {
      tokens.add(new Token(word.toString(), false));
      word.setLength(0);
    }
  }

  /** The index of the ")" that closes the "(" at {@code open}, skipping quoted text. */
  private static int closing(String text, int open) {
    int depth = 0;
    for (int i = open; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '\'') {
        int end = text.indexOf('\'', i + 1);
        i = end < 0 ? text.length() : end;
      } else if (c == '"') {
        for (i++; i < text.length() && text.charAt(i) != '"'; i++) {
          if (text.charAt(i) == '\\') {
            i++;
          }
        }
      } else if (c == '(') {
        depth++;
      } else if (c == ')' && --depth == 0) {
        return i;
      }
    }
    return text.length() - 1;
  }
}
