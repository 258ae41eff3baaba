package io.configstore.effective;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.configstore.model.Json;

/** Reading and writing inside JSON trees by {@link ConfigPath}, and the mapper this package binds with. */
final class Trees {
    /** The strict reading rules of {@link Json}, in a mapper of this package's own. */
    static final ObjectMapper MAPPER = Json.newStrictMapper();

    private Trees() {
    }

    /** The node at {@code path}, or null when there is none. */
    static JsonNode get(JsonNode root, ConfigPath path) {
        JsonNode node = root;
        for (int i = 0; i < path.size() && node != null; i++) {
            if (path.isIndex(i)) {
                node = node.isArray() ? node.get(path.index(i)) : null;
            } else {
                node = node.isObject() ? node.get(path.key(i)) : null;
            }
        }
        return node;
    }

    /** The container that holds {@code path}'s last segment, or null when it is missing or of the wrong kind. */
    static JsonNode parentContainer(JsonNode root, ConfigPath path) {
        JsonNode parent = get(root, path.parent());
        if (parent == null) {
            return null;
        }
        boolean index = path.isIndex(path.size() - 1);
        return (index && parent.isArray()) || (!index && parent.isObject()) ? parent : null;
    }

    /** Sets the value at {@code path} in a container that exists; an index may be at most the list's size. */
    static void set(JsonNode container, ConfigPath path, JsonNode value) {
        int last = path.size() - 1;
        if (path.isIndex(last)) {
            ArrayNode list = (ArrayNode) container;
            int index = path.index(last);
            if (index == list.size()) {
                list.add(value);
            } else {
                list.set(index, value);
            }
        } else {
            ((ObjectNode) container).set(path.key(last), value);
        }
    }
}
