package jrun.state;

import java.time.DateTimeException;
import java.time.Instant;

/**
 * RFC 3339 times as Go writes them with {@code time.RFC3339Nano} (what runc puts in its state and
 * prints): UTC, {@code 2006-01-02T15:04:05.999999999Z}, the fraction without trailing zeros and
 * none at all on a whole second. By hand, not with {@code java.time.format}: its formatters'
 * set-up slows every interpreted jrun command that reads or writes a state file.
 */
final class Rfc3339 {
    private static final long SECONDS_PER_DAY = 86_400;
    /** Days from 0000-03-01 to 1970-01-01 in the proleptic Gregorian calendar. */
    private static final long EPOCH_SHIFT = 719_468;
    private static final long DAYS_PER_ERA = 146_097;

    private Rfc3339() {}

    static String format(Instant t) {
        long days = Math.floorDiv(t.getEpochSecond(), SECONDS_PER_DAY);
        long secondOfDay = Math.floorMod(t.getEpochSecond(), SECONDS_PER_DAY);
        // Civil date from a day count (H. Hinnant's algorithm, eras of 400 years from March 1).
        long z = days + EPOCH_SHIFT;
        long era = Math.floorDiv(z, DAYS_PER_ERA);
        long dayOfEra = z - era * DAYS_PER_ERA;
        long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long shiftedMonth = (5 * dayOfYear + 2) / 153;
        long day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1;
        long month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        if (year < 0 || year > 9999) {
            throw new DateTimeException("year " + year + " has no RFC 3339 form");
        }
        StringBuilder b = new StringBuilder(30);
        pad(b, year, 4).append('-');
        pad(b, month, 2).append('-');
        pad(b, day, 2).append('T');
        pad(b, secondOfDay / 3600, 2).append(':');
        pad(b, secondOfDay / 60 % 60, 2).append(':');
        pad(b, secondOfDay % 60, 2);
        int nanos = t.getNano();
        if (nanos != 0) {
            int digits = 9;
            while (nanos % 10 == 0) {
                nanos /= 10;
                digits--;
            }
            pad(b.append('.'), nanos, digits);
        }
        return b.append('Z').toString();
    }

    /**
     * Parses {@code YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)}, the form RFC 3339 section 5.6
     * gives (a lower-case t and z too).
     *
     * @throws DateTimeException naming what is wrong
     */
    static Instant parse(String text) {
        Cursor c = new Cursor(text);
        long year = c.digits(4, "year");
        c.expect('-');
        long month = c.digits(2, "month");
        c.expect('-');
        long day = c.digits(2, "day");
        c.expect('T', 't');
        long hour = c.digits(2, "hour");
        c.expect(':');
        long minute = c.digits(2, "minute");
        c.expect(':');
        long second = c.digits(2, "second");
        long nanos = 0;
        if (c.at('.')) {
            c.next();
            int start = c.pos;
            while (c.pos < text.length() && isDigit(text.charAt(c.pos)) && c.pos - start < 9) {
                nanos = nanos * 10 + (text.charAt(c.pos) - '0');
                c.pos++;
            }
            if (c.pos == start || (c.pos < text.length() && isDigit(text.charAt(c.pos)))) {
                throw new DateTimeException("a fraction of a second has 1 to 9 digits: " + text);
            }
            for (int d = c.pos - start; d < 9; d++) {
                nanos *= 10;
            }
        }
        long offsetSeconds = 0;
        if (c.at('Z') || c.at('z')) {
            c.next();
        } else if (c.at('+') || c.at('-')) {
            long sign = c.next() == '-' ? -1 : 1;
            long offsetHours = c.digits(2, "offset hour");
            c.expect(':');
            long offsetMinutes = c.digits(2, "offset minute");
            if (offsetHours > 23 || offsetMinutes > 59) {
                throw new DateTimeException("offset out of range: " + text);
            }
            offsetSeconds = sign * (offsetHours * 3600 + offsetMinutes * 60);
        } else {
            throw new DateTimeException("expected Z or an offset (+HH:MM) at index " + c.pos + ": " + text);
        }
        if (c.pos != text.length()) {
            throw new DateTimeException("unexpected text after the time at index " + c.pos + ": " + text);
        }
        if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)
                || hour > 23 || minute > 59 || second > 59) {
            throw new DateTimeException("no such date or time: " + text);
        }
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yearOfEra = y - era * 400;
        long dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
        long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        long days = era * DAYS_PER_ERA + dayOfEra - EPOCH_SHIFT;
        return Instant.ofEpochSecond(days * SECONDS_PER_DAY + hour * 3600 + minute * 60 + second - offsetSeconds, nanos);
    }

    private static long daysInMonth(long year, long month) {
        if (month == 2) {
            boolean leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
            return leap ? 29 : 28;
        }
        return month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static StringBuilder pad(StringBuilder b, long value, int width) {
        String digits = Long.toString(value);
        for (int i = digits.length(); i < width; i++) {
            b.append('0');
        }
        return b.append(digits);
    }

    private static final class Cursor {
        private final String text;
        private int pos;

        Cursor(String text) {
            this.text = text;
        }

        boolean at(char c) {
            return pos < text.length() && text.charAt(pos) == c;
        }

        char next() {
            return text.charAt(pos++);
        }

        void expect(char c) {
            expect(c, c);
        }

        void expect(char c, char alternative) {
            if (!at(c) && !at(alternative)) {
                throw new DateTimeException("expected '" + c + "' at index " + pos + ": " + text);
            }
            pos++;
        }

        long digits(int count, String what) {
            long value = 0;
            for (int i = 0; i < count; i++) {
                if (pos >= text.length() || !isDigit(text.charAt(pos))) {
                    throw new DateTimeException("expected the " + what + " (" + count + " digits) at index " + pos
                            + ": " + text);
                }
                value = value * 10 + (text.charAt(pos++) - '0');
            }
            return value;
        }
    }
}
