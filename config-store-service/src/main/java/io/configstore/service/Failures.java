package io.configstore.service;

import io.configstore.error.ConfigStoreException;

/**
 * How a failure that is not necessarily ours is named in the service's messages and health reasons. A store opener
 * is host code: what it throws may be another library's exception, whose message can quote a URL with a password or
 * other input, so only configstore's own messages are repeated.
 */
final class Failures {
    private Failures() {
    }

    static String describe(Throwable failure) {
        if (failure instanceof ConfigStoreException && failure.getMessage() != null) {
            return failure.getMessage();
        }
        return failure.getClass().getName() + ", message not shown: it is not configstore's own";
    }
}
