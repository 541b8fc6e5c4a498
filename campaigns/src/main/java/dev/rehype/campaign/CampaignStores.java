package dev.rehype.campaign;

import java.util.ServiceLoader;

/**
 * Finds the {@link CampaignStore} on the class path ({@code META-INF/services}); exactly one is
 * expected. Without one, campaigns cannot store runs, which is said in one line.
 */
public final class CampaignStores {
    private CampaignStores() {
    }

    /**
     * The store on the class path.
     *
     * @throws IllegalStateException when there is none, or more than one
     */
    public static CampaignStore load() {
        var stores = ServiceLoader.load(CampaignStore.class).stream().map(ServiceLoader.Provider::get).toList();
        if (stores.isEmpty()) {
            throw new IllegalStateException("no results store is on the class path (a CampaignStore registered in "
                    + "META-INF/services by the results module)");
        }
        if (stores.size() > 1) {
            throw new IllegalStateException("more than one results store is on the class path: "
                    + stores.stream().map(s -> s.getClass().getName()).toList());
        }
        return stores.get(0);
    }
}
