package io.configstore.service;

import io.configstore.change.ChangeEvent;
import io.configstore.change.ChangeKind;
import io.configstore.effective.EffectiveConfig;
import io.configstore.effective.EffectiveConfigLoader;
import io.configstore.model.ConfigDocument;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The configuration documents of one tenant as loaded at one moment, and the effective configurations built on
 * them, one per loader (built on first use, kept until this snapshot is dropped).
 */
final class DocumentSnapshot {
    /** Effective configurations kept per snapshot: a host that builds a new loader per call gets no caching beyond. */
    static final int MAX_EFFECTIVE_PER_SNAPSHOT = 64;

    private final List<String> names;
    private final Map<String, Optional<ConfigDocument>> byName;
    private final Map<EffectiveConfigLoader, EffectiveConfig> effective = new ConcurrentHashMap<>();

    DocumentSnapshot(List<ConfigDocument> documents) {
        Map<String, Optional<ConfigDocument>> map = new HashMap<>();
        for (ConfigDocument document : documents) {
            map.put(document.name(), Optional.of(document));
        }
        this.byName = Map.copyOf(map);
        this.names = map.keySet().stream().sorted().toList();
    }

    List<String> names() {
        return names;
    }

    /** The document with this name, or null when the snapshot has none (the caller validates the name then). */
    Optional<ConfigDocument> byName(String name) {
        return byName.get(name);
    }

    /** The effective configuration built by {@code loader} on this snapshot, or null when none was built yet. */
    EffectiveConfig effective(EffectiveConfigLoader loader) {
        return effective.get(loader);
    }

    /** Keeps {@code built} for {@code loader}, unless the per-snapshot bound is reached. */
    void keepEffective(EffectiveConfigLoader loader, EffectiveConfig built) {
        if (effective.size() < MAX_EFFECTIVE_PER_SNAPSHOT) {
            effective.putIfAbsent(loader, built);
        }
    }

    boolean reflects(ChangeEvent event) {
        Optional<ConfigDocument> held = byName.get(event.key());
        if (event.kind() == ChangeKind.DELETED) {
            return held == null;
        }
        return held != null && held.get().revision() >= event.version();
    }

    int size() {
        return names.size();
    }

    /** Every document, by name. */
    List<ConfigDocument> all() {
        return names.stream().map(name -> byName.get(name).get()).toList();
    }
}
