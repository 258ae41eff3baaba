package io.configstore.effective;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A whole document laid over the layers below: the stored document, or a host's defaults. */
final class DocumentLayer extends ConfigLayer {
    private final Origin origin;
    private final ObjectNode tree;

    DocumentLayer(Origin origin, ObjectNode tree) {
        this.origin = origin;
        this.tree = tree;
    }

    @Override
    public String name() {
        return origin.layer();
    }

    @Override
    void apply(LayerContext context) {
        context.tree().put(ConfigPath.root(), tree, origin);
    }
}
