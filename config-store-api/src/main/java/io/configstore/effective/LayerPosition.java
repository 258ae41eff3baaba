package io.configstore.effective;

/**
 * Where a host's own layer goes among the standard ones. Layers apply from the lowest to the highest; a higher layer
 * wins per leaf. Several layers at one position apply in the order they were added.
 *
 * <pre>{@code
 * EffectiveConfigLoader.builder("app")
 *     .addLayer(LayerPosition.BELOW_STORE, ConfigLayer.document("defaults", "classpath:/defaults.json", defaults))
 *     .addLayer(LayerPosition.ABOVE_ENVIRONMENT, ConfigLayer.systemProperties(System.getProperties(), "app."))
 *     .build();
 * }</pre>
 */
public enum LayerPosition {
    /** Below the stored document: defaults that anything stored replaces. */
    BELOW_STORE,
    /** Between the stored document and the environment. */
    ABOVE_STORE,
    /** Between the environment and the command line. */
    ABOVE_ENVIRONMENT,
    /** Above the command line: wins over everything. */
    ABOVE_COMMAND_LINE
}
