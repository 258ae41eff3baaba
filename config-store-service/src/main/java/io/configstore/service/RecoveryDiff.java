package io.configstore.service;

import io.configstore.change.ChangeEvent;
import io.configstore.change.ChangeOrigin;
import io.configstore.change.EntityKind;
import io.configstore.model.ApiKeyMetadata;
import io.configstore.model.ConfigDocument;
import io.configstore.model.ProviderConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * What differs between the configuration the service served while the store was away and what the store holds when
 * it answers again, as REMOTE change events: the notifications lost during the outage stand for nothing else.
 */
final class RecoveryDiff {
    private RecoveryDiff() {
    }

    /**
     * One CHANGED event per entity added or at another version, one DELETED per entity gone, providers first, then API
     * keys, then documents; a single RESYNC when nothing was served before (there is nothing to compare with).
     */
    static List<ChangeEvent> between(String tenantId, ProviderSnapshot servedProviders, ApiKeySnapshot servedKeys,
                                     DocumentSnapshot servedDocuments, ProviderSnapshot providers, ApiKeySnapshot keys,
                                     DocumentSnapshot documents) {
        if (servedProviders == null || servedKeys == null || servedDocuments == null) {
            return List.of(ChangeEvent.resync(ChangeOrigin.REMOTE));
        }
        List<ChangeEvent> events = new ArrayList<>();
        compare(EntityKind.PROVIDER_CONFIG, tenantId, servedProviders.all(), providers.all(), ProviderConfig::id,
                ProviderConfig::version, events);
        compare(EntityKind.API_KEY, tenantId, servedKeys.all(), keys.all(), ApiKeyMetadata::id,
                ApiKeyMetadata::version, events);
        compare(EntityKind.CONFIG_DOCUMENT, tenantId, servedDocuments.all(), documents.all(), ConfigDocument::name,
                ConfigDocument::revision, events);
        return events;
    }

    private static <T> void compare(EntityKind entity, String tenantId, List<T> served, List<T> now,
                                    Function<T, String> key, ToLongFunction<T> version, List<ChangeEvent> events) {
        Map<String, Long> before = new LinkedHashMap<>();
        served.forEach(item -> before.put(key.apply(item), version.applyAsLong(item)));
        for (T item : now) {
            Long was = before.remove(key.apply(item));
            long is = version.applyAsLong(item);
            if (was == null || was != is) {
                events.add(ChangeEvent.changed(entity, tenantId, key.apply(item), is, ChangeOrigin.REMOTE));
            }
        }
        before.forEach((id, was) -> events.add(ChangeEvent.deleted(entity, tenantId, id, was, ChangeOrigin.REMOTE)));
    }
}
