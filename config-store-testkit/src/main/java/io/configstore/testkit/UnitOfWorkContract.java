package io.configstore.testkit;

/** StoreSet.inUnitOfWork: commit, rollback, nesting as savepoints and isolation from other threads. */
public interface UnitOfWorkContract extends StoreContract {
}
