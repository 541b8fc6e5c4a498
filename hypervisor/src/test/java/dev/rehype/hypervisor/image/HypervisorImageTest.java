package dev.rehype.hypervisor.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A hypervisor image is a world of its own: its core classes come from its own loader, two images
 * share no class (so no static state), and every core class passes through the transformer.
 */
class HypervisorImageTest {

    @Test
    void coreClassesComeFromTheImagesOwnLoaderAndImagesShareNothing() throws Exception {
        HypervisorImage a = HypervisorImage.pristine();
        HypervisorImage b = HypervisorImage.pristine();
        Class<?> ca = a.classLoader().loadClass(HypervisorImage.CORE_PACKAGE + ".Hypervisor");
        Class<?> cb = b.classLoader().loadClass(HypervisorImage.CORE_PACKAGE + ".Hypervisor");
        assertThat(ca.getClassLoader()).isSameAs(a.classLoader());
        assertThat(ca).isNotSameAs(cb);
        assertThat(ca).isNotSameAs(Class.forName(HypervisorImage.CORE_PACKAGE + ".Hypervisor"));
        // classes outside the core are shared with the host
        assertThat(a.classLoader().loadClass("dev.rehype.machine.Hart"))
                .isSameAs(dev.rehype.machine.Hart.class);
        assertThat(a.classLoader().loadClass(HypervisorEntry.class.getName())).isSameAs(HypervisorEntry.class);
    }

    @Test
    void everyCoreClassPassesThroughTheTransformer() throws Exception {
        List<String> seen = new ArrayList<>();
        HypervisorImage image = HypervisorImage.transformed((name, bytes) -> {
            seen.add(name);
            return bytes;
        });
        image.classLoader().loadClass(HypervisorImage.CORE_PACKAGE + ".Hypervisor");
        image.classLoader().loadClass("dev.rehype.machine.Hart");
        assertThat(seen).contains(HypervisorImage.CORE_PACKAGE + ".Hypervisor").allMatch(
                n -> n.startsWith(HypervisorImage.CORE_PACKAGE + "."));
    }
}
