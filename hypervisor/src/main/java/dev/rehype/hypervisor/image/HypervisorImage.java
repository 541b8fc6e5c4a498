package dev.rehype.hypervisor.image;

import dev.rehype.machine.port.MachinePort;
import dev.rehype.region.layout.CoreTablesLayout;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;

/**
 * A hypervisor image: the classes of {@code dev.rehype.hypervisor.core} defined by a class loader
 * of their own, so that the image's code, static data and heap can be thrown away whole and a
 * pristine one loaded (ReHype's microreboot). Everything else (the machine, the region, this
 * package) comes from the parent loader and is shared. A {@link ClassTransformer} may rewrite
 * each core class as it is defined; then the {@link LoopMeter} counts its loops for the watchdog.
 */
public final class HypervisorImage {
    public static final String CORE_PACKAGE = "dev.rehype.hypervisor.core";
    private static final String ENTRY_CLASS = CORE_PACKAGE + ".Hypervisor";

    /** The pristine classes as metered, by name: every pristine image defines the same bytes. */
    private static final java.util.concurrent.ConcurrentHashMap<String, byte[]> PRISTINE =
            new java.util.concurrent.ConcurrentHashMap<>();

    private final ImageLoader loader;

    private HypervisorImage(ClassTransformer transformer) {
        this.loader = new ImageLoader(HypervisorImage.class.getClassLoader(), transformer);
    }

    /** A fresh, unmodified image. */
    public static HypervisorImage pristine() {
        return new HypervisorImage(ClassTransformer.IDENTITY);
    }

    /** An image whose core classes pass through {@code transformer}. */
    public static HypervisorImage transformed(ClassTransformer transformer) {
        return new HypervisorImage(transformer);
    }

    public ClassLoader classLoader() {
        return loader;
    }

    /**
     * Loads and links every class of the core now, so that switching to this image later costs no
     * class loading (ReHype keeps its pristine copy ready in memory). Returns the number of classes.
     */
    public int preload() {
        List<String> names = coreClassNames();
        try {
            for (String n : names) {
                Class.forName(n, true, loader);
            }
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("preloading the hypervisor image failed: " + e, e);
        }
        return names.size();
    }

    /** The binary names of every class of the core, sorted (what an image loads). */
    public static List<String> coreClassNames() {
        String dir = CORE_PACKAGE.replace('.', '/');
        List<String> names = new ArrayList<>();
        try {
            java.net.URL url = HypervisorImage.class.getClassLoader().getResource(dir);
            if (url == null) {
                throw new IllegalStateException("the hypervisor core classes are not on the class path");
            }
            if (url.getProtocol().equals("jar")) {
                String path = url.getPath();
                String jar = path.substring("file:".length(), path.indexOf('!'));
                try (java.util.jar.JarFile f = new java.util.jar.JarFile(java.net.URLDecoder.decode(jar,
                        java.nio.charset.StandardCharsets.UTF_8))) {
                    f.stream().map(java.util.jar.JarEntry::getName)
                            .filter(n -> n.startsWith(dir + "/") && n.endsWith(".class"))
                            .forEach(names::add);
                }
            } else {
                java.nio.file.Path root = java.nio.file.Path.of(url.toURI());
                try (var files = java.nio.file.Files.walk(root)) {
                    files.filter(p -> p.toString().endsWith(".class"))
                            .forEach(p -> names.add(dir + "/" + root.relativize(p).toString().replace('\\', '/')));
                }
            }
        } catch (IOException | java.net.URISyntaxException e) {
            throw new IllegalStateException("listing the hypervisor image's classes failed: " + e, e);
        }
        java.util.Collections.sort(names);
        List<String> out = new ArrayList<>();
        for (String n : names) {
            out.add(n.substring(0, n.length() - ".class".length()).replace('/', '.'));
        }
        return out;
    }

    /** The bytes a pristine image defines for core class {@code binaryName}: as built, metered. */
    static byte[] pristineBytes(String binaryName) throws ClassNotFoundException {
        byte[] bytes = PRISTINE.get(binaryName);
        if (bytes == null) {
            bytes = LoopMeter.meter(read(binaryName));
            PRISTINE.putIfAbsent(binaryName, bytes);
        }
        return bytes;
    }

    /** The bytes of core class {@code binaryName} as built (before any transformer). */
    public static byte[] originalBytes(String binaryName) {
        try {
            return read(binaryName);
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static byte[] read(String binaryName) throws ClassNotFoundException {
        String resource = binaryName.replace('.', '/') + ".class";
        try (InputStream in = HypervisorImage.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new ClassNotFoundException("no hypervisor class " + binaryName);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + resource, e);
        }
    }

    /**
     * Instantiates the image's hypervisor over {@code machine} (the machine itself, or a port to
     * one in another process) and its preserved {@code state}.
     */
    public HypervisorEntry instantiate(MachinePort machine, MemorySegment state, CoreTablesLayout layout) {
        try {
            Class<?> entry = loader.loadClass(ENTRY_CLASS);
            return (HypervisorEntry) entry.getConstructor(MachinePort.class, MemorySegment.class, CoreTablesLayout.class)
                    .newInstance(machine, state, layout);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("hypervisor image failed to start", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("hypervisor image is incomplete: " + e, e);
        }
    }

    /** Child-first for the core package, parent for everything else. */
    private static final class ImageLoader extends ClassLoader {
        private final ClassTransformer transformer;

        ImageLoader(ClassLoader parent, ClassTransformer transformer) {
            super("hypervisor-image", parent);
            this.transformer = transformer;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith(CORE_PACKAGE + ".")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    byte[] bytes = transformer == ClassTransformer.IDENTITY ? pristineBytes(name)
                            : LoopMeter.meter(transformer.transform(name, read(name)));
                    c = defineClass(name, bytes, 0, bytes.length);
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }
    }
}
