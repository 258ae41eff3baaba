package io.configstore.testkit;

import static io.configstore.testkit.Samples.CHANGE;
import static io.configstore.testkit.Samples.json;
import static io.configstore.testkit.Samples.provider;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.configstore.error.DuplicateException;
import io.configstore.error.NotFoundException;
import io.configstore.error.ValidationException;
import io.configstore.error.VersionConflictException;
import io.configstore.model.ChangeContext;
import io.configstore.model.NewProviderConfig;
import io.configstore.model.ProviderConfig;
import io.configstore.store.ProviderConfigStore;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** ProviderConfigStore: creation, ordering, versions, the default rules and resolve. */
public interface ProviderConfigStoreContract extends StoreContract {

    @Test
    default void a_created_provider_is_stored_with_version_1_and_every_field_given(StoreUnderTest store) {
        ProviderConfigStore providers = store.stores().providers();
        NewProviderConfig wanted = NewProviderConfig.of("openai", "production", json("model", "gpt", "url", "u"))
                .withPriority(7).withEnabled(false);

        ProviderConfig created = providers.create(wanted, ChangeContext.by("alice", "first setup"));

        assertThat(created.id()).isNotBlank();
        assertThat(created.tenantId()).isEqualTo(providers.tenantId()).isEqualTo("default");
        assertThat(created.providerType()).isEqualTo("openai");
        assertThat(created.name()).isEqualTo("production");
        assertThat(created.settings()).isEqualTo(json("model", "gpt", "url", "u"));
        assertThat(created.enabled()).isFalse();
        assertThat(created.priority()).isEqualTo(7);
        assertThat(created.version()).isEqualTo(1);
        assertThat(created.changedBy()).isEqualTo("alice");
        assertThat(created.changeReason()).isEqualTo("first setup");
        assertThat(created.updatedAt()).isEqualTo(created.createdAt());
        assertThat(providers.get(created.id())).contains(created);
    }

    @Test
    default void get_of_an_unknown_provider_id_is_empty(StoreUnderTest store) {
        assertThat(store.stores().providers().get(UUID.randomUUID().toString())).isEmpty();
    }

    @Test
    default void the_first_provider_of_a_type_becomes_its_default_and_later_ones_do_not(StoreUnderTest store) {
        ProviderConfigStore providers = store.stores().providers();

        ProviderConfig first = providers.create(provider("openai", "first"), CHANGE);
        ProviderConfig second = providers.create(provider("openai", "second"), CHANGE);
        ProviderConfig otherType = providers.create(provider("anthropic", "main"), CHANGE);

        assertThat(first.isDefault()).isTrue();
        assertThat(second.isDefault()).isFalse();
        assertThat(otherType.isDefault()).isTrue();
        assertThat(providers.getDefault("openai")).contains(first);
        assertThat(providers.getDefault("anthropic")).contains(otherType);
        assertThat(providers.getDefault("mistral")).isEmpty();
    }

    @Test
    default void list_orders_by_type_then_priority_lowest_first_then_name(StoreUnderTest store) {
        ProviderConfigStore providers = store.stores().providers();
        providers.create(provider("openai", "zeta", 5), CHANGE);
        providers.create(provider("anthropic", "b", 1), CHANGE);
        providers.create(provider("openai", "beta", 50), CHANGE);
        providers.create(provider("openai", "alpha", 50), CHANGE);
        providers.create(provider("anthropic", "a", 2), CHANGE);

        assertThat(providers.list()).extracting(p -> p.providerType() + "/" + p.name())
                .containsExactly("anthropic/b", "anthropic/a", "openai/zeta", "openai/alpha", "openai/beta");
        assertThat(providers.listByType("openai")).extracting(ProviderConfig::name)
                .containsExactly("zeta", "alpha", "beta");
        assertThat(providers.listByType("mistral")).isEmpty();
    }

    @Test
    default void listByName_finds_the_provider_of_that_name_in_every_type(StoreUnderTest store) {
        ProviderConfigStore providers = store.stores().providers();
        providers.create(provider("openai", "prod"), CHANGE);
        providers.create(provider("anthropic", "prod"), CHANGE);
        providers.create(provider("openai", "staging"), CHANGE);

        assertThat(providers.listByName("prod")).extracting(ProviderConfig::providerType)
                .containsExactly("anthropic", "openai");
        assertThat(providers.listByName("staging")).hasSize(1);
        assertThat(providers.listByName("nothing")).isEmpty();
    }

    @Test
    default void a_duplicate_name_within_a_type_is_rejected_but_the_same_name_in_another_type_is_fine(
            StoreUnderTest store) {
        ProviderConfigStore providers = store.stores().providers();
        ProviderConfig original = providers.create(provider("openai", "prod"), CHANGE);

        assertThatThrownBy(() -> providers.create(provider("openai", "prod").asDefault(), CHANGE))
                .isInstanceOf(DuplicateException.class);
        ProviderConfig sameNameOtherType = providers.create(provider("anthropic", "prod"), CHANGE);

        assertThat(providers.listByType("openai")).containsExactly(original);
        assertThat(sameNameOtherType.name()).isEqualTo("prod");
    }

    @Test
    default void update_with_the_version_read_writes_the_edit_and_bumps_the_version(StoreUnderTest store) {
        ProviderConfigStore providers = store.stores().providers();
        ProviderConfig read = providers.create(provider("openai", "prod", 10), CHANGE);

        ProviderConfig updated = providers.update(read.withName("production").withSettings(json("url", "new"))
                .withEnabled(false).withPriority(3), ChangeContext.by("bob", "moved endpoint"));

        assertThat(updated.version()).isEqualTo(2);
        assertThat(updated.name()).isEqualTo("production");
        assertThat(updated.settings()).isEqualTo(json("url", "new"));
        assertThat(updated.enabled()).isFalse();
        assertThat(updated.priority()).isEqualTo(3);
        assertThat(updated.changedBy()).isEqualTo("bob");
        assertThat(updated.changeReason()).isEqualTo("moved endpoint");
        assertThat(updated.id()).isEqualTo(read.id());
        assertThat(updated.createdAt()).isEqualTo(read.createdAt());
        assertThat(updated.updatedAt()).isAfterOrEqualTo(read.updatedAt());
        assertThat(updated.isDefault()).isTrue();
        assertThat(providers.get(read.id())).contains(updated);
    }

    @Test
    default void update_with_a_stale_version_is_a_conflict_and_changes_nothing(StoreUnderTest store) {
        ProviderConfigStore providers = store.stores().providers();
        ProviderConfig read = providers.create(provider("openai", "prod"), CHANGE);
        ProviderConfig current = providers.update(read.withPriority(1), CHANGE);

        assertThatThrownBy(() -> providers.update(read.withName("lost-edit"), CHANGE))
                .isInstanceOf(VersionConflictException.class);

        assertThat(providers.get(read.id())).contains(current);
        assertThat(providers.listByName("lost-edit")).isEmpty();
    }

    @Test
    default void update_cannot_change_the_type(StoreUnderTest store) {
        ProviderConfigStore providers = store.stores().providers();
        ProviderConfig read = providers.create(provider("openai", "prod"), CHANGE);
        ProviderConfig retyped = new ProviderConfig(read.id(), read.tenantId(), "anthropic", read.name(),
                read.settings(), read.isDefault(), read.enabled(), read.priority(), read.version(), read.createdAt(),
                read.updatedAt(), read.changedBy(), read.changeReason());

        assertThatThrownBy(() -> providers.update(retyped, CHANGE)).isInstanceOf(ValidationException.class);

        assertThat(providers.get(read.id())).contains(read);
        assertThat(providers.listByType("anthropic")).isEmpty();
    }

    @Test
    default void update_cannot_change_the_default_flag(StoreUnderTest store) {
        ProviderConfigStore providers = store.stores().providers();
        ProviderConfig theDefault = providers.create(provider("openai", "a"), CHANGE);
        ProviderConfig other = providers.create(provider("openai", "b"), CHANGE);

        assertThatThrownBy(() -> providers.update(withDefaultFlag(other, true), CHANGE))
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> providers.update(withDefaultFlag(theDefault, false), CHANGE))
                .isInstanceOf(ValidationException.class);

        assertThat(providers.get(theDefault.id())).contains(theDefault);
        assertThat(providers.get(other.id())).contains(other);
    }

    @Test
    default void an_update_with_a_stale_version_that_also_flips_the_default_flag_is_a_version_conflict(
            StoreUnderTest store) {
        ProviderConfigStore providers = store.stores().providers();
        providers.create(provider("openai", "a"), CHANGE);
        ProviderConfig read = providers.create(provider("openai", "b"), CHANGE);
        ProviderConfig current = providers.update(read.withPriority(1), CHANGE);

        // The version is checked before the default flag: the caller's copy is stale, whatever else it says.
        assertThatThrownBy(() -> providers.update(withDefaultFlag(read, true), CHANGE))
                .isInstanceOf(VersionConflictException.class);

        assertThat(providers.get(read.id())).contains(current);
    }

    @Test
    default void update_checks_tenant_then_existence_then_type_then_version_then_default_flag_then_name(
            StoreUnderTest store) {
        ProviderConfigStore providers = store.stores().providers();
        providers.create(provider("openai", "taken"), CHANGE);
        ProviderConfig read = providers.create(provider("openai", "mine"), CHANGE);
        ProviderConfig current = providers.update(read.withPriority(1), CHANGE);
        ProviderConfig unknown = withId(read, UUID.randomUUID().toString());
        ProviderConfig ofAnotherTenant = new ProviderConfig(unknown.id(), "acme", read.providerType(), read.name(),
                read.settings(), read.isDefault(), read.enabled(), read.priority(), read.version(), read.createdAt(),
                read.updatedAt(), read.changedBy(), read.changeReason());

        assertThatThrownBy(() -> providers.update(ofAnotherTenant, CHANGE)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> providers.update(withType(unknown, "anthropic"), CHANGE))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> providers.update(withType(read, "anthropic"), CHANGE))
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> providers.update(withDefaultFlag(read, true).withName("taken"), CHANGE))
                .isInstanceOf(VersionConflictException.class);
        assertThatThrownBy(() -> providers.update(withDefaultFlag(current, true).withName("taken"), CHANGE))
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> providers.update(current.withName("taken"), CHANGE))
                .isInstanceOf(DuplicateException.class);

        assertThat(providers.get(read.id())).contains(current);
    }

    @Test
    default void renaming_onto_a_name_taken_in_the_type_is_a_duplicate_and_changes_nothing(StoreUnderTest store) {
        ProviderConfigStore providers = store.stores().providers();
        providers.create(provider("openai", "taken"), CHANGE);
        ProviderConfig other = providers.create(provider("openai", "free"), CHANGE);

        assertThatThrownBy(() -> providers.update(other.withName("taken"), CHANGE))
                .isInstanceOf(DuplicateException.class);

        assertThat(providers.get(other.id())).contains(other);
    }

    @Test
    default void update_of_an_unknown_id_is_not_found(StoreUnderTest store) {
        ProviderConfigStore providers = store.stores().providers();
        ProviderConfig read = providers.create(provider("openai", "prod"), CHANGE);
        providers.create(provider("openai", "other"), CHANGE);
        providers.delete(providers.listByName("other").get(0).id(), CHANGE);
        ProviderConfig ghost = new ProviderConfig(UUID.randomUUID().toString(), read.tenantId(),
                read.providerType(), "ghost", read.settings(), false, true, 1, 1, read.createdAt(), read.updatedAt(),
                "x", null);

        assertThatThrownBy(() -> providers.update(ghost, CHANGE)).isInstanceOf(NotFoundException.class);
        assertThat(providers.list()).containsExactly(read);
    }

    @Test
    default void delete_removes_the_provider_and_an_unknown_id_is_not_found(StoreUnderTest store) {
        ProviderConfigStore providers = store.stores().providers();
        ProviderConfig keep = providers.create(provider("openai", "keep"), CHANGE);
        ProviderConfig gone = providers.create(provider("openai", "gone"), CHANGE);

        providers.delete(gone.id(), CHANGE);

        assertThat(providers.get(gone.id())).isEmpty();
        assertThat(providers.list()).containsExactly(keep);
        assertThatThrownBy(() -> providers.delete(gone.id(), CHANGE)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> providers.delete(UUID.randomUUID().toString(), CHANGE))
                .isInstanceOf(NotFoundException.class);
        assertThat(providers.list()).containsExactly(keep);
    }

    @Test
    default void creating_a_second_default_moves_the_default_atomically(StoreUnderTest store) {
        ProviderConfigStore providers = store.stores().providers();
        ProviderConfig old = providers.create(provider("openai", "old"), CHANGE);
        ProviderConfig otherType = providers.create(provider("anthropic", "main"), CHANGE);

        ProviderConfig made = providers.create(provider("openai", "new").asDefault(), ChangeContext.by("carol"));

        assertThat(made.isDefault()).isTrue();
        assertThat(made.version()).isEqualTo(1);
        ProviderConfig oldNow = providers.get(old.id()).orElseThrow();
        assertThat(oldNow.isDefault()).isFalse();
        assertThat(oldNow.version()).isEqualTo(old.version() + 1);
        assertThat(providers.getDefault("openai")).contains(made);
        assertThat(providers.listByType("openai")).filteredOn(ProviderConfig::isDefault).containsExactly(made);
        assertThat(providers.get(otherType.id())).contains(otherType);
    }

    @Test
    default void setDefault_moves_the_default_and_bumps_both_rows(StoreUnderTest store) {
        ProviderConfigStore providers = store.stores().providers();
        ProviderConfig old = providers.create(provider("openai", "old"), CHANGE);
        ProviderConfig chosen = providers.create(provider("openai", "chosen"), CHANGE);
        ProviderConfig bystander = providers.create(provider("openai", "bystander"), CHANGE);
        ProviderConfig otherType = providers.create(provider("anthropic", "main"), CHANGE);
        ProviderConfig otherTenant = store.stores().forTenant("acme").providers()
                .create(provider("openai", "theirs"), CHANGE);

        ProviderConfig made = providers.setDefault(chosen.id(), ChangeContext.by("dave", "switch"));

        assertThat(made.isDefault()).isTrue();
        assertThat(made.version()).isEqualTo(chosen.version() + 1);
        assertThat(made.changedBy()).isEqualTo("dave");
        assertThat(providers.get(old.id()).orElseThrow())
                .satisfies(p -> assertThat(p.isDefault()).isFalse())
                .satisfies(p -> assertThat(p.version()).isEqualTo(old.version() + 1));
        assertThat(providers.listByType("openai")).filteredOn(ProviderConfig::isDefault).containsExactly(made);
        assertThat(providers.get(bystander.id())).contains(bystander);
        assertThat(providers.get(otherType.id())).contains(otherType);
        assertThat(store.stores().forTenant("acme").providers().get(otherTenant.id())).contains(otherTenant);
    }

    @Test
    default void setDefault_on_the_current_default_changes_nothing(StoreUnderTest store) {
        ProviderConfigStore providers = store.stores().providers();
        ProviderConfig theDefault = providers.create(provider("openai", "a"), CHANGE);

        ProviderConfig again = providers.setDefault(theDefault.id(), CHANGE);

        assertThat(again).isEqualTo(theDefault);
        assertThat(providers.get(theDefault.id())).contains(theDefault);
    }

    @Test
    default void setDefault_of_an_unknown_id_is_not_found_and_keeps_the_default(StoreUnderTest store) {
        ProviderConfigStore providers = store.stores().providers();
        ProviderConfig theDefault = providers.create(provider("openai", "a"), CHANGE);

        assertThatThrownBy(() -> providers.setDefault(UUID.randomUUID().toString(), CHANGE))
                .isInstanceOf(NotFoundException.class);

        assertThat(providers.getDefault("openai")).contains(theDefault);
    }

    @Test
    default void deleting_the_default_hands_it_to_the_best_enabled_provider_left(StoreUnderTest store) {
        ProviderConfigStore providers = store.stores().providers();
        ProviderConfig theDefault = providers.create(provider("openai", "default", 1), CHANGE);
        providers.create(provider("openai", "disabled-best", 0).withEnabled(false), CHANGE);
        providers.create(provider("openai", "zz", 5), CHANGE);
        ProviderConfig heir = providers.create(provider("openai", "aa", 5), CHANGE);
        providers.create(provider("openai", "worse", 9), CHANGE);

        providers.delete(theDefault.id(), CHANGE);

        ProviderConfig newDefault = providers.getDefault("openai").orElseThrow();
        assertThat(newDefault.id()).isEqualTo(heir.id());
        assertThat(newDefault.version()).isEqualTo(heir.version() + 1);
        assertThat(providers.listByType("openai")).filteredOn(ProviderConfig::isDefault).hasSize(1);
    }

    @Test
    default void deleting_the_default_when_none_left_is_enabled_hands_it_to_the_best_disabled_one(
            StoreUnderTest store) {
        ProviderConfigStore providers = store.stores().providers();
        ProviderConfig theDefault = providers.create(provider("openai", "default"), CHANGE);
        providers.create(provider("openai", "worse", 9).withEnabled(false), CHANGE);
        ProviderConfig heir = providers.create(provider("openai", "best", 2).withEnabled(false), CHANGE);

        providers.delete(theDefault.id(), CHANGE);

        assertThat(providers.getDefault("openai")).map(ProviderConfig::id).contains(heir.id());
        assertThat(providers.resolve("openai")).isEmpty();
    }

    @Test
    default void deleting_the_last_provider_of_a_type_leaves_it_without_default(StoreUnderTest store) {
        ProviderConfigStore providers = store.stores().providers();
        ProviderConfig only = providers.create(provider("openai", "only"), CHANGE);

        providers.delete(only.id(), CHANGE);

        assertThat(providers.getDefault("openai")).isEmpty();
        assertThat(providers.resolve("openai")).isEmpty();
        ProviderConfig next = providers.create(provider("openai", "next"), CHANGE);
        assertThat(next.isDefault()).isTrue();
    }

    @Test
    default void resolve_picks_the_default_when_it_is_enabled(StoreUnderTest store) {
        ProviderConfigStore providers = store.stores().providers();
        ProviderConfig theDefault = providers.create(provider("openai", "default", 50), CHANGE);
        providers.create(provider("openai", "better-priority", 1), CHANGE);

        assertThat(providers.resolve("openai")).contains(theDefault);
    }

    @Test
    default void resolve_picks_the_best_enabled_by_priority_then_name_when_the_default_is_disabled(
            StoreUnderTest store) {
        ProviderConfigStore providers = store.stores().providers();
        ProviderConfig theDefault = providers.create(provider("openai", "default", 0), CHANGE);
        providers.update(theDefault.withEnabled(false), CHANGE);
        providers.create(provider("openai", "disabled", 1).withEnabled(false), CHANGE);
        providers.create(provider("openai", "b", 3), CHANGE);
        ProviderConfig expected = providers.create(provider("openai", "a", 3), CHANGE);
        providers.create(provider("openai", "c", 8), CHANGE);

        assertThat(providers.resolve("openai")).contains(expected);
        assertThat(providers.getDefault("openai")).map(ProviderConfig::id).contains(theDefault.id());
    }

    @Test
    default void resolve_is_empty_when_no_provider_of_the_type_is_enabled(StoreUnderTest store) {
        ProviderConfigStore providers = store.stores().providers();
        providers.create(provider("openai", "a").withEnabled(false), CHANGE);
        providers.create(provider("openai", "b").withEnabled(false), CHANGE);
        providers.create(provider("anthropic", "enabled"), CHANGE);

        assertThat(providers.resolve("openai")).isEmpty();
        assertThat(providers.resolve("mistral")).isEmpty();
        assertThat(providers.resolve("anthropic")).isPresent();
    }

    @Test
    default void settings_handed_in_and_out_are_copies(StoreUnderTest store) {
        ProviderConfigStore providers = store.stores().providers();
        ObjectNode settings = json("url", "original");
        ProviderConfig created = providers.create(NewProviderConfig.of("openai", "prod", settings), CHANGE);

        settings.put("url", "changed by caller after create");
        created.settings().put("url", "changed through the returned record");
        providers.get(created.id()).orElseThrow().settings().put("url", "changed through get");
        providers.list().get(0).settings().put("injected", true);

        assertThat(providers.get(created.id()).orElseThrow().settings()).isEqualTo(json("url", "original"));
    }

    @Test
    default void every_change_records_who_made_it_and_why(StoreUnderTest store) {
        ProviderConfigStore providers = store.stores().providers();
        ProviderConfig created = providers.create(provider("openai", "prod"), ChangeContext.by("erin"));
        ProviderConfig updated = providers.update(created.withPriority(2), ChangeContext.by("frank", "tuning"));

        assertThat(created.changedBy()).isEqualTo("erin");
        assertThat(created.changeReason()).isNull();
        assertThat(providers.get(created.id())).contains(updated);
        assertThat(updated.changedBy()).isEqualTo("frank");
        assertThat(updated.changeReason()).isEqualTo("tuning");
    }

    @Test
    default void versions_grow_by_one_with_every_change(StoreUnderTest store) {
        ProviderConfigStore providers = store.stores().providers();
        ProviderConfig read = providers.create(provider("openai", "prod"), CHANGE);
        for (int i = 0; i < 5; i++) {
            read = providers.update(read.withPriority(i), CHANGE);
        }
        assertThat(read.version()).isEqualTo(6);
        assertThat(providers.get(read.id()).orElseThrow().version()).isEqualTo(6);
        List<ProviderConfig> all = providers.list();
        assertThat(all).containsExactly(read);
    }

    private static ProviderConfig withId(ProviderConfig p, String id) {
        return new ProviderConfig(id, p.tenantId(), p.providerType(), p.name(), p.settings(), p.isDefault(),
                p.enabled(), p.priority(), p.version(), p.createdAt(), p.updatedAt(), p.changedBy(),
                p.changeReason());
    }

    private static ProviderConfig withType(ProviderConfig p, String providerType) {
        return new ProviderConfig(p.id(), p.tenantId(), providerType, p.name(), p.settings(), p.isDefault(),
                p.enabled(), p.priority(), p.version(), p.createdAt(), p.updatedAt(), p.changedBy(),
                p.changeReason());
    }

    private static ProviderConfig withDefaultFlag(ProviderConfig p, boolean isDefault) {
        return new ProviderConfig(p.id(), p.tenantId(), p.providerType(), p.name(), p.settings(), isDefault,
                p.enabled(), p.priority(), p.version(), p.createdAt(), p.updatedAt(), p.changedBy(),
                p.changeReason());
    }
}
