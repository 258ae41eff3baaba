package io.configstore.effective;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The effective document while layers are applied: the tree, and for every leaf the origin that set it and the
 * values it replaced. A leaf is a scalar, a null, or an empty object or list.
 *
 * <p>Objects merge key by key; a list is replaced as a whole (its elements become new leaves); a scalar replaces
 * whatever stood at its path, including a container (all of whose leaves it then overrode).
 */
final class LayeredTree {
    private record Leaf(JsonNode value, Origin origin, List<OverriddenValue> overridden) {
    }

    private final ObjectNode root = JsonNodeFactory.instance.objectNode();
    private final Map<ConfigPath, Leaf> leaves = new LinkedHashMap<>();

    /** The current tree; callers must not modify it. */
    JsonNode root() {
        return root;
    }

    /** Sets {@code value} at {@code path} (merging objects, replacing lists and scalars) from {@code origin}. */
    void put(ConfigPath path, JsonNode value, Origin origin) {
        List<OverriddenValue> carried = new ArrayList<>();
        List<ConfigPath> written = new ArrayList<>();
        if (path.isRoot()) {
            if (!value.isObject()) {
                throw new IllegalArgumentException("only an object can be put at the root");
            }
            Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                putInner(path.child(field.getKey()), field.getValue(), origin, carried, written);
            }
        } else {
            putInner(path, value, origin, carried, written);
        }
        if (!carried.isEmpty() && !written.isEmpty()) {
            // Values displaced without a new leaf at their own path are reported on the first new leaf.
            ConfigPath first = written.get(0);
            Leaf leaf = leaves.get(first);
            List<OverriddenValue> all = new ArrayList<>(leaf.overridden());
            all.addAll(carried);
            leaves.put(first, new Leaf(leaf.value(), leaf.origin(), all));
        }
    }

    private void putInner(ConfigPath path, JsonNode value, Origin origin, List<OverriddenValue> carried,
                          List<ConfigPath> written) {
        if (value.isObject() && value.size() > 0) {
            JsonNode existing = Trees.get(root, path);
            if (existing == null || !existing.isObject()) {
                carried.addAll(replaceWithContainer(path, JsonNodeFactory.instance.objectNode()));
            }
            Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                putInner(path.child(field.getKey()), field.getValue(), origin, carried, written);
            }
        } else if (value.isArray() && value.size() > 0) {
            carried.addAll(replaceWithContainer(path, JsonNodeFactory.instance.arrayNode()));
            for (int i = 0; i < value.size(); i++) {
                putInner(path.child(i), value.get(i), origin, carried, written);
            }
        } else {
            List<OverriddenValue> overridden = new ArrayList<>(replaceWithContainer(path, value.deepCopy()));
            // Values carried from a replaced list or object that stood at this very path belong to this leaf.
            Iterator<OverriddenValue> it = carried.iterator();
            while (it.hasNext()) {
                OverriddenValue lost = it.next();
                if (lost.path().equals(path)) {
                    overridden.add(lost);
                    it.remove();
                }
            }
            leaves.put(path, new Leaf(value.deepCopy(), origin, overridden));
            written.add(path);
        }
    }

    /**
     * Makes sure every ancestor of {@code path} is a container of the right kind, then sets {@code node} there.
     * Returns every leaf it displaced (with their own history), the nearest first.
     */
    private List<OverriddenValue> replaceWithContainer(ConfigPath path, JsonNode node) {
        List<OverriddenValue> displaced = new ArrayList<>();
        JsonNode container = root;
        ConfigPath at = ConfigPath.root();
        for (int i = 0; i < path.size() - 1; i++) {
            ConfigPath next = childOf(at, path, i);
            JsonNode child = Trees.get(root, next);
            boolean wantList = path.isIndex(i + 1);
            if (child == null || (wantList ? !child.isArray() : !child.isObject())) {
                displaced.addAll(removeLeaves(next));
                child = wantList ? JsonNodeFactory.instance.arrayNode() : JsonNodeFactory.instance.objectNode();
                Trees.set(container, next, child);
            } else {
                displaced.addAll(removeLeaf(next));
            }
            container = child;
            at = next;
        }
        displaced.addAll(removeLeaves(path));
        Trees.set(container, path, node);
        return displaced;
    }

    private static ConfigPath childOf(ConfigPath at, ConfigPath path, int i) {
        return path.isIndex(i) ? at.child(path.index(i)) : at.child(path.key(i));
    }

    /** Removes the leaf at {@code path} (an empty container that is about to get children), if any. */
    private List<OverriddenValue> removeLeaf(ConfigPath path) {
        Leaf leaf = leaves.remove(path);
        return leaf == null ? List.of() : history(path, leaf);
    }

    /** Removes the leaves at and under {@code path}. */
    private List<OverriddenValue> removeLeaves(ConfigPath path) {
        List<OverriddenValue> removed = new ArrayList<>();
        Iterator<Map.Entry<ConfigPath, Leaf>> it = leaves.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<ConfigPath, Leaf> entry = it.next();
            if (entry.getKey().startsWith(path)) {
                removed.addAll(history(entry.getKey(), entry.getValue()));
                it.remove();
            }
        }
        return removed;
    }

    private static List<OverriddenValue> history(ConfigPath path, Leaf leaf) {
        List<OverriddenValue> history = new ArrayList<>();
        history.add(new OverriddenValue(path, leaf.value(), leaf.origin()));
        history.addAll(leaf.overridden());
        return history;
    }

    /** Every leaf in document order, explained. */
    List<Explanation> explainAll() {
        List<Explanation> all = new ArrayList<>();
        collect(ConfigPath.root(), root, all);
        return all;
    }

    private void collect(ConfigPath path, JsonNode node, List<Explanation> out) {
        if (node.isObject() && (node.size() > 0 || path.isRoot())) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                collect(path.child(field.getKey()), field.getValue(), out);
            }
        } else if (node.isArray() && node.size() > 0) {
            for (int i = 0; i < node.size(); i++) {
                collect(path.child(i), node.get(i), out);
            }
        } else {
            Leaf leaf = leaves.get(path);
            if (leaf == null) {
                throw new IllegalStateException("no origin recorded for " + path);
            }
            out.add(new Explanation(path, node.deepCopy(), leaf.origin(), leaf.overridden()));
        }
    }
}
