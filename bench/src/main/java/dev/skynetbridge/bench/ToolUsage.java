package dev.skynetbridge.bench;

/** The load tools' command-line errors: the problem and the tool's usage text on stderr, then exit status 2. */
final class ToolUsage {

    private ToolUsage() {
    }

    /** Prints "{@code tool}: {@code problem}" (when there is one) and {@code usage}, and exits with status 2. */
    static void fail(String tool, String problem, String usage) {
        if (problem != null) {
            System.err.println(tool + ": " + problem);
        }
        System.err.println(usage);
        System.exit(2);
    }

    /** {@code value} as a whole number of at least 1, or {@code fail}s naming {@code option}. */
    static int positive(String tool, String option, String value, String usage) {
        int n = Integer.parseInt(value);
        if (n < 1) {
            fail(tool, option + " must be at least 1", usage);
        }
        return n;
    }
}
