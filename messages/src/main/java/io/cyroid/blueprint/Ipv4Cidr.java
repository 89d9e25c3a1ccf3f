package io.cyroid.blueprint;

import java.util.regex.Pattern;

/**
 * An IPv4 address with a prefix length, e.g. {@code 10.0.1.0/24}.
 * <p>
 * Addresses are unsigned 32-bit values held in a {@code long} so range arithmetic needs no sign juggling.
 * The address is kept as written, host bits included, so a caller can tell {@code 10.0.1.5/24} from its
 * {@link #normalized()} form and suggest the fix instead of silently changing the instructor's intent.
 * Parsing is strict on purpose: "010.0.0.1" means octal to some tools and decimal to others, so it is refused.
 */
public record Ipv4Cidr(long address, int prefix) {

    private static final long MAX = 0xFFFF_FFFFL;
    // One octet: 0, or 1-3 digits without a leading zero. Range (<= 255) is checked separately for a better message.
    private static final Pattern OCTET = Pattern.compile("0|[1-9][0-9]{0,2}");
    private static final Pattern PREFIX = Pattern.compile("0|[1-9][0-9]?");

    public Ipv4Cidr {
        if (address < 0 || address > MAX) {
            throw new IllegalArgumentException("address out of IPv4 range");
        }
        if (prefix < 0 || prefix > 32) {
            throw new IllegalArgumentException("prefix /" + prefix + " is not between 0 and 32");
        }
    }

    /** Parses {@code a.b.c.d/p}; throws IllegalArgumentException with a message fit for an end user. */
    public static Ipv4Cidr parse(String text) {
        // Longest valid form is "255.255.255.255/32" (18 chars); the cap also keeps hostile input out of messages.
        if (text == null || text.length() > 18 || text.indexOf('/') < 0) {
            throw new IllegalArgumentException("expected an IPv4 CIDR like 10.0.1.0/24");
        }
        int slash = text.indexOf('/');
        String prefixText = text.substring(slash + 1);
        if (!PREFIX.matcher(prefixText).matches()) {
            throw new IllegalArgumentException("expected an IPv4 CIDR like 10.0.1.0/24 (prefix must be a number 0-32)");
        }
        int prefix = Integer.parseInt(prefixText);
        if (prefix > 32) {
            throw new IllegalArgumentException("prefix /" + prefix + " is above 32");
        }
        return new Ipv4Cidr(parseAddress(text.substring(0, slash)), prefix);
    }

    /** Parses a dotted-quad address into its unsigned 32-bit value; throws IllegalArgumentException if invalid. */
    public static long parseAddress(String text) {
        if (text == null || text.length() > 15) {
            throw new IllegalArgumentException("expected an IPv4 address like 10.0.1.10");
        }
        // limit -1 keeps trailing empty parts, so "1.2.3.4." is refused instead of silently accepted.
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("expected an IPv4 address like 10.0.1.10");
        }
        long value = 0;
        for (String part : parts) {
            if (!OCTET.matcher(part).matches()) {
                throw new IllegalArgumentException(part.length() > 1 && part.charAt(0) == '0' && part.chars().allMatch(Character::isDigit)
                        ? "octet " + part + " has a leading zero (ambiguous: octal or decimal?)"
                        : "expected an IPv4 address like 10.0.1.10");
            }
            int octet = Integer.parseInt(part);
            if (octet > 255) {
                throw new IllegalArgumentException("octet " + octet + " is above 255");
            }
            value = (value << 8) | octet;
        }
        return value;
    }

    /** True if {@code text} is a strictly valid dotted-quad IPv4 address. */
    public static boolean isAddress(String text) {
        try {
            parseAddress(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public static String format(long address) {
        return ((address >> 24) & 0xFF) + "." + ((address >> 16) & 0xFF) + "." + ((address >> 8) & 0xFF) + "." + (address & 0xFF);
    }

    public long mask() {
        // Shifting by 32 is a no-op in Java, so /0 needs its own case.
        return prefix == 0 ? 0 : (MAX << (32 - prefix)) & MAX;
    }

    public long networkAddress() {
        return address & mask();
    }

    public long broadcastAddress() {
        return networkAddress() | (~mask() & MAX);
    }

    public boolean hasHostBits() {
        return address != networkAddress();
    }

    public Ipv4Cidr normalized() {
        return new Ipv4Cidr(networkAddress(), prefix);
    }

    public boolean contains(long ip) {
        return (ip & mask()) == networkAddress();
    }

    /** False for anything that is not a valid address, so callers need not pre-validate. */
    public boolean contains(String ip) {
        return isAddress(ip) && contains(parseAddress(ip));
    }

    public boolean overlaps(Ipv4Cidr other) {
        return networkAddress() <= other.broadcastAddress() && other.networkAddress() <= broadcastAddress();
    }

    @Override
    public String toString() {
        return format(address) + "/" + prefix;
    }
}
