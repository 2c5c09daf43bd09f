package dev.skynetbridge.server.acl;

/** A problem in the access file; the message is {@code file:line: problem}, ready for a log line or the console. */
public final class AccessFileException extends IllegalArgumentException {

    private final String file;
    private final int line;
    private final String problem;

    public AccessFileException(String file, int line, String problem) {
        super(file + (line > 0 ? ":" + line : "") + ": " + problem);
        this.file = file;
        this.line = line;
        this.problem = problem;
    }

    public String file() {
        return file;
    }

    /** 1-based; 0 when the problem is the file as a whole (unreadable, empty). */
    public int line() {
        return line;
    }

    public String problem() {
        return problem;
    }
}
