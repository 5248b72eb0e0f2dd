package jrun.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jrun.base.JrunException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContainerIdTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "c1", "my_container", "a+b-c.d_e", "...", ".hidden", "a..b", "-x", "UPPER", "0",
            "4f2c2b3d0e1a5f6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b"})
    void acceptsRuncIds(String id) {
        assertEquals(id, ContainerId.validate(id));
        assertTrue(ContainerId.isValid(id));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "../x", "..\\x", "/", "/etc", "a/b", "a/../b", "x/", "a b", "a\nb", "\n",
            "a\u0000b", "\u0000", "tab\there", "esc\u001b[31m", "caf\u00e9", "\u0131d", "a:b", "a*", "~new-1", "a;rm"})
    void refusesIdsThatCouldEscapeRootOrForgeOutput(String id) {
        JrunException e = assertThrows(JrunException.class, () -> ContainerId.validate(id));
        assertTrue(e.getMessage().startsWith("invalid container id \""), e.getMessage());
        assertFalse(ContainerId.isValid(id));
        // Control characters are shown escaped, never raw, in the message.
        assertTrue(e.getMessage().chars().noneMatch(c -> c < 0x20), e.getMessage());
    }

    @Test
    void refusesNull() {
        assertThrows(JrunException.class, () -> ContainerId.validate(null));
    }

    @Test
    void boundsTheLengthByWhatADirectoryNameCanHold() {
        assertTrue(ContainerId.isValid("x".repeat(ContainerId.MAX_LENGTH)));
        JrunException e = assertThrows(JrunException.class, () -> ContainerId.validate("x".repeat(ContainerId.MAX_LENGTH + 1)));
        assertTrue(e.getMessage().contains("longer than 255"), e.getMessage());
        // A huge id is not echoed whole.
        JrunException huge = assertThrows(JrunException.class, () -> ContainerId.validate("y".repeat(100_000)));
        assertTrue(huge.getMessage().length() < 300, huge.getMessage());
    }

    @Test
    void namesTheProblem() {
        assertEquals("invalid container id \"a/b\": only letters, digits, '_', '+', '-' and '.' are allowed",
                assertThrows(JrunException.class, () -> ContainerId.validate("a/b")).getMessage());
        assertEquals("invalid container id \"a\\nb\": only letters, digits, '_', '+', '-' and '.' are allowed",
                assertThrows(JrunException.class, () -> ContainerId.validate("a\nb")).getMessage());
        assertEquals("invalid container id \"\": it is empty",
                assertThrows(JrunException.class, () -> ContainerId.validate("")).getMessage());
        assertTrue(assertThrows(JrunException.class, () -> ContainerId.validate("..")).getMessage()
                .startsWith("invalid container id \"..\": "));
    }
}
