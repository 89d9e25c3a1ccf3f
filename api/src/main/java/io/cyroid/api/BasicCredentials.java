package io.cyroid.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** What the API reads of an {@code Authorization: Basic} header without checking it: the user name it claims. */
public final class BasicCredentials {

    private BasicCredentials() {
    }

    /** The part before the first colon, or null; what follows, the password, is dropped, never kept. */
    public static String user(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                    StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? null : decoded.substring(0, colon);
        } catch (IllegalArgumentException e) {
            return null; // not Base64: there is no name to tell
        }
    }
}
