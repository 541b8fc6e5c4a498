/*
 * A separate process for the durability test: it stores runs 0..count-1 into a campaign store,
 * printing "stored <i>" after each accept() returns, then prints "all stored" and waits without
 * closing the store until it is killed. The test kills it with SIGKILL mid-way.
 */
package dev.rehype.results;

import java.nio.file.Path;

/** {@code StoreWriterMain FILE COUNT}. */
public final class StoreWriterMain {

    private StoreWriterMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Path file = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        DuckDbRunStore store = DuckDbRunStore.openOrCreate(file, TestRuns.metadata());
        for (int i = 0; i < count; i++) {
            if (store.completed().get(i)) {
                continue;
            }
            store.accept(StoreDurabilityTest.expected(i));
            System.out.println("stored " + i);
            System.out.flush();
        }
        System.out.println("all stored");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
