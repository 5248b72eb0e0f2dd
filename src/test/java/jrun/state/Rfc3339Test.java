package jrun.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Rfc3339Test {
    /** Go's time.RFC3339Nano in UTC, built with java.time: the oracle. */
    private static final DateTimeFormatter GO_RFC3339_NANO = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd'T'HH:mm:ss")
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
            .appendLiteral('Z')
            .toFormatter()
            .withZone(ZoneOffset.UTC);

    @Test
    void formatsAsGoDoes() {
        assertEquals("2026-01-02T03:04:05Z", Rfc3339.format(Instant.parse("2026-01-02T03:04:05Z")));
        assertEquals("2026-01-02T03:04:05.1Z", Rfc3339.format(Instant.parse("2026-01-02T03:04:05.100Z")));
        assertEquals("2026-01-02T03:04:05.000000001Z", Rfc3339.format(Instant.parse("2026-01-02T03:04:05.000000001Z")));
        assertEquals("1970-01-01T00:00:00Z", Rfc3339.format(Instant.EPOCH));
        assertEquals("1969-12-31T23:59:59.999999999Z", Rfc3339.format(Instant.EPOCH.minusNanos(1)));
        assertEquals("2000-02-29T12:00:00Z", Rfc3339.format(Instant.parse("2000-02-29T12:00:00Z")));
        assertEquals("0000-01-01T00:00:00Z", Rfc3339.format(Instant.parse("0000-01-01T00:00:00Z")));
        assertEquals("9999-12-31T23:59:59.999999999Z", Rfc3339.format(Instant.parse("9999-12-31T23:59:59.999999999Z")));
    }

    @Test
    void agreesWithJavaTimeOnRandomInstantsAndReadsThemBack() {
        SplittableRandom random = new SplittableRandom(3339);
        long min = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
        long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        for (int i = 0; i < 20_000; i++) {
            Instant t = Instant.ofEpochSecond(random.nextLong(min, max + 1),
                    random.nextBoolean() ? random.nextInt(1_000_000_000) : random.nextInt(10) * 100_000_000);
            String text = Rfc3339.format(t);
            assertEquals(GO_RFC3339_NANO.format(t), text);
            assertEquals(t, Rfc3339.parse(text), text);
        }
    }

    @Test
    void readsOffsetsAndLowerCaseSeparators() {
        assertEquals(Instant.parse("2026-01-02T01:04:05Z"), Rfc3339.parse("2026-01-02T03:04:05+02:00"));
        assertEquals(Instant.parse("2026-01-02T05:34:05.5Z"), Rfc3339.parse("2026-01-02t03:04:05.5-02:30"));
        assertEquals(Instant.parse("2026-01-02T03:04:05Z"), Rfc3339.parse("2026-01-02T03:04:05z"));
        assertEquals(OffsetDateTime.parse("2024-02-29T23:59:59.123456789-11:59").toInstant(),
                Rfc3339.parse("2024-02-29T23:59:59.123456789-11:59"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "yesterday", "2026-01-02", "2026-01-02T03:04:05", "2026-01-02 03:04:05Z",
        "2026-13-02T03:04:05Z", "2026-02-29T03:04:05Z", "2026-04-31T03:04:05Z", "2026-01-00T03:04:05Z",
        "2026-01-02T24:00:00Z", "2026-01-02T03:60:05Z", "2026-01-02T03:04:60Z", "2026-01-02T03:04:05.Z",
        "2026-01-02T03:04:05.1234567890Z", "2026-01-02T03:04:05+0200", "2026-01-02T03:04:05+24:00",
        "2026-01-02T03:04:05ZZ", "२०२६-01-02T03:04:05Z", "+2026-01-02T03:04:05Z"})
    void refusesWhatIsNotAnRfc3339Time(String text) {
        DateTimeException e = assertThrows(DateTimeException.class, () -> Rfc3339.parse(text));
        assertTrue(e.getMessage().contains(text), e.getMessage());
    }
}
