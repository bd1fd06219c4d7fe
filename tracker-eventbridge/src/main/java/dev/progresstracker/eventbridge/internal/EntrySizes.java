package dev.progresstracker.eventbridge.internal;

/**
 * Entry size the way AWS documents it ("Calculating Amazon EventBridge PutEvents event entry size"):
 * 14 bytes for {@code Time} when present, plus the UTF-8 bytes of {@code Source}, {@code DetailType},
 * {@code Detail} and every {@code Resources} element. {@code EventBusName} does not count.
 */
public final class EntrySizes {

    /** Bytes AWS counts for a present {@code Time} field. */
    public static final int TIME_BYTES = 14;

    private EntrySizes() {}

    public static int entrySize(String source, String detailType, String detail, String resource, boolean hasTime) {
        int size = hasTime ? TIME_BYTES : 0;
        size += utf8Length(source);
        size += utf8Length(detailType);
        size += utf8Length(detail);
        size += utf8Length(resource);
        return size;
    }

    /** UTF-8 length without encoding (detail strings can be large; this runs for every event). */
    public static int utf8Length(String s) {
        if (s == null) {
            return 0;
        }
        int n = 0;
        for (int i = 0, len = s.length(); i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
