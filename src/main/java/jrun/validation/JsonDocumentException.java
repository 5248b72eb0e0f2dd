package jrun.validation;

import jrun.base.JrunException;

/** A JSON file that cannot be used at all: missing, unreadable, too large or not well-formed. */
public class JsonDocumentException extends JrunException {
    private final String file;
    private final String detail;

    public JsonDocumentException(String file, String detail) {
        super(file + ": " + detail);
        this.file = file;
        this.detail = detail;
    }

    public JsonDocumentException(String file, String detail, Throwable cause) {
        super(file + ": " + detail, cause);
        this.file = file;
        this.detail = detail;
    }

    /** The name the file is reported under, e.g. {@code config.json}. */
    public String file() {
        return file;
    }

    /** What is wrong, without the file name, e.g. {@code line 3, column 7: unexpected character}. */
    public String detail() {
        return detail;
    }

    public Problem toProblem() {
        return new Problem(file, "", detail);
    }
}
