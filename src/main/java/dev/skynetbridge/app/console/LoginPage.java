package dev.skynetbridge.app.console;

/** The page a browser gets instead of the console while it has no valid token: one field, sent as ?token=. */
final class LoginPage {

    private LoginPage() {
    }

    static String html(String message) {
        return """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>skynet-bridge console: token</title>
                <style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}
                input,button{font-size:1rem;padding:.4rem}input{width:100%%;box-sizing:border-box}</style>
                </head><body>
                <h1>skynet-bridge console</h1>
                <p id="refusal">%s</p>
                <form method="get" action="/">
                <label for="token">Token (skynet.management.token)</label>
                <input id="token" name="token" type="password" autocomplete="current-password" required>
                <p><button type="submit">Open the console</button></p>
                </form></body></html>
                """.formatted(escape(message));
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
