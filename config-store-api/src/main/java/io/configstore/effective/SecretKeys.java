package io.configstore.effective;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.configstore.error.ValidationException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides which keys hold secrets, so that diffs, changelogs and origin reports print {@value #REDACTED} instead of
 * their values.
 *
 * <p>A key is secret when its name, lower-cased with every character other than a letter or digit removed, contains
 * one of the fragments. The defaults catch {@code apiKey}, {@code api_key}, {@code API-KEY}, {@code password},
 * {@code dbPassword}, {@code clientSecret}, {@code token}, {@code accessToken}, {@code credentials},
 * {@code privateKey} and {@code passphrase}. Every value under a secret key is secret too. Immutable.
 *
 * <pre>{@code
 * SecretKeys secrets = SecretKeys.defaults().with("pin");
 * secrets.isSecret("cardPin");                        // true
 * secrets.redact(Json.object().put("apiKey", "sk")); // {"apiKey":"[redacted]"}
 * }</pre>
 */
public final class SecretKeys {
    /** What a secret value is replaced with. */
    public static final String REDACTED = "[redacted]";

    private static final List<String> DEFAULT_FRAGMENTS = List.of("apikey", "password", "passwd", "secret", "token",
            "credential", "privatekey", "passphrase", "accesskey");

    private final Set<String> fragments;

    private SecretKeys(Set<String> fragments) {
        this.fragments = fragments;
    }

    /** The default fragments: apikey, password, passwd, secret, token, credential, privatekey, passphrase, accesskey. */
    public static SecretKeys defaults() {
        return of(DEFAULT_FRAGMENTS);
    }

    /**
     * Exactly these fragments (each compared after lower-casing and removing non-alphanumerics).
     *
     * @throws ValidationException when a fragment is null or has no letter or digit
     */
    public static SecretKeys of(List<String> fragments) {
        if (fragments == null) {
            throw new ValidationException("secret key fragments must not be null");
        }
        Set<String> normalized = new TreeSet<>();
        for (String fragment : fragments) {
            String n = fragment == null ? "" : normalize(fragment);
            if (n.isEmpty()) {
                throw new ValidationException("secret key fragment '" + fragment + "' has no letter or digit;"
                        + " give name fragments such as \"password\" or \"pin\"");
            }
            normalized.add(n);
        }
        return new SecretKeys(Set.copyOf(normalized));
    }

    /** These fragments plus more. */
    public SecretKeys with(String... more) {
        List<String> all = new ArrayList<>(fragments);
        all.addAll(List.of(more));
        return of(all);
    }

    /** The fragments, normalized and sorted. */
    public List<String> fragments() {
        return List.copyOf(new TreeSet<>(fragments));
    }

    /** Whether a key's name looks secret. */
    public boolean isSecret(String key) {
        String n = normalize(key);
        for (String fragment : fragments) {
            if (n.contains(fragment)) {
                return true;
            }
        }
        return false;
    }

    /** Whether any key on the path looks secret, so the value at the path is (part of) a secret. */
    public boolean isSecret(ConfigPath path) {
        for (int i = 0; i < path.size(); i++) {
            if (!path.isIndex(i) && isSecret(path.key(i))) {
                return true;
            }
        }
        return false;
    }

    /**
     * A copy of a value found at {@code path} with every secret replaced by {@value #REDACTED}: the whole value when
     * the path is secret, otherwise the values of secret keys inside it. Null stays null.
     */
    public JsonNode redact(ConfigPath path, JsonNode value) {
        if (value == null) {
            return null;
        }
        if (isSecret(path)) {
            return TextNode.valueOf(REDACTED);
        }
        return redact(value);
    }

    /** A copy of a tree with the values of secret keys, at any depth, replaced by {@value #REDACTED}. */
    public JsonNode redact(JsonNode value) {
        if (value == null) {
            return null;
        }
        if (value.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                copy.set(field.getKey(), isSecret(field.getKey())
                        ? TextNode.valueOf(REDACTED) : redact(field.getValue()));
            }
            return copy;
        }
        if (value.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            for (JsonNode element : value) {
                copy.add(redact(element));
            }
            return copy;
        }
        return value.deepCopy();
    }

    static String normalize(String name) {
        StringBuilder n = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                n.append(Character.toLowerCase(c));
            }
        }
        return n.toString().toLowerCase(Locale.ROOT);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SecretKeys keys && keys.fragments.equals(fragments);
    }

    @Override
    public int hashCode() {
        return fragments.hashCode();
    }

    @Override
    public String toString() {
        return "SecretKeys" + fragments();
    }
}
