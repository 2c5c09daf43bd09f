package dev.skynetbridge.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RpcAddressTest {

    @Test
    void parsesHostsPortsAndBracketedIpv6() {
        assertThat(RpcAddress.parse("localhost:9000")).isEqualTo(new RpcAddress("localhost", 9000));
        assertThat(RpcAddress.parse("[::1]:9000")).isEqualTo(new RpcAddress("::1", 9000));
        assertThat(new RpcAddress("::1", 9000)).hasToString("[::1]:9000");
    }

    @Test
    void aListKeepsItsOrderAndSkipsBlankEntries() {
        assertThat(RpcAddress.parseList(" b:2, a:1 ,,")).containsExactly(new RpcAddress("b", 2), new RpcAddress("a", 1));
        assertThat(RpcAddress.parseList(null)).isEmpty();
        assertThat(RpcAddress.parseList("  ")).isEmpty();
    }

    @Test
    void aBadEntryIsNamedInTheError() {
        assertThatThrownBy(() -> RpcAddress.parseList("a:1,nohost")).hasMessageContaining("'nohost' is not host:port");
        assertThatThrownBy(() -> RpcAddress.parse("a:x")).hasMessageContaining("'a:x' has no numeric port");
        assertThatThrownBy(() -> RpcAddress.parse("a:70000")).hasMessageContaining("out of range 1..65535");
    }
}
