package dev.skynetbridge.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RpcCallerConnectionTest {

    @Test
    void methodNamesAreQuotedAsGoQuotesThem() {
        assertThat(RpcCallerConnection.goQuote("Nope")).isEqualTo("\"Nope\"");
        assertThat(RpcCallerConnection.goQuote("a\"b\\c\nd\te\u0001")).isEqualTo("\"a\\\"b\\\\c\\nd\\te\\x01\"");
    }
}
