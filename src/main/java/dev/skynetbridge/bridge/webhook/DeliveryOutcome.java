package dev.skynetbridge.bridge.webhook;

import java.io.IOException;

/** What one webhook attempt's result means: done, try again, or give up. Pure. */
public enum DeliveryOutcome {
    DELIVERED,
    RETRY,
    GIVE_UP;

    /**
     * 2xx is delivered. 408 (timeout), 429 (rate limited) and every 5xx are worth another try:
     * the receiver may recover. Any other status (4xx, and 1xx/3xx since redirects are not
     * followed for a signed POST) will not change by sending the same request again.
     */
    public static DeliveryOutcome ofStatus(int status) {
        if (status >= 200 && status < 300) {
            return DELIVERED;
        }
        if (status == 408 || status == 429 || (status >= 500 && status < 600)) {
            return RETRY;
        }
        return GIVE_UP;
    }

    /** Connection refused, reset, DNS failure and timeouts are I/O errors: the receiver may come back. */
    public static DeliveryOutcome ofException(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException) {
                return RETRY;
            }
        }
        return GIVE_UP;
    }
}
