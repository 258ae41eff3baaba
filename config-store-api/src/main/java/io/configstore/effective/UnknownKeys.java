package io.configstore.effective;

/**
 * What a layer does with a variable, property or flag that names no key of the document or of the bound type.
 *
 * <pre>{@code
 * ConfigLayer.commandLine(List.of(args), UnknownKeys.IGNORE);
 * }</pre>
 */
public enum UnknownKeys {
    /** Report it as a problem: loading fails with a {@link io.configstore.error.ValidationException} naming it. */
    FAIL,
    /** Skip it; its name (never its value) is listed by {@link EffectiveConfig#ignored()}. */
    IGNORE
}
