package dev.rehype.campaign.exec;

import dev.rehype.hypervisor.image.HypervisorImage;
import dev.rehype.hypervisor.probe.FaultPoint;

import java.io.IOException;
import java.io.InputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.MethodModel;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Every place a hypervisor failstop can be placed: the entry of each method with code of each
 * class of the hypervisor core (constructors, class initialisers, synthetic methods and bridges
 * left out), found by reading the core's class files, in a stable sorted order. A method reached
 * more than once per name (overloads) is one point. Which of them the running system actually
 * executes is learned from the golden run.
 */
public final class FaultPointCatalog {
    private FaultPointCatalog() {
    }

    /** Every candidate point, sorted by class and method name. */
    public static List<FaultPoint> entries() {
        TreeSet<String> seen = new TreeSet<>();
        List<FaultPoint> out = new ArrayList<>();
        for (String resource : coreClassFiles()) {
            ClassModel model;
            try (InputStream in = HypervisorImage.class.getClassLoader().getResourceAsStream(resource)) {
                model = ClassFile.of().parse(in.readAllBytes());
            } catch (IOException e) {
                throw new IllegalStateException("reading " + resource + ": " + e, e);
            }
            String className = model.thisClass().asInternalName().replace('/', '.');
            for (MethodModel m : model.methods()) {
                String name = m.methodName().stringValue();
                int flags = m.flags().flagsMask();
                boolean synthetic = (flags & ClassFile.ACC_SYNTHETIC) != 0 || (flags & ClassFile.ACC_BRIDGE) != 0;
                if (name.startsWith("<") || synthetic || m.code().isEmpty() || name.startsWith("lambda$")) {
                    continue;
                }
                if (seen.add(className + "." + name)) {
                    out.add(new FaultPoint(className, name, FaultPoint.Anchor.ENTRY, null, 0));
                }
            }
        }
        return out;
    }

    private static List<String> coreClassFiles() {
        String dir = HypervisorImage.CORE_PACKAGE.replace('.', '/');
        URL url = HypervisorImage.class.getClassLoader().getResource(dir);
        if (url == null) {
            throw new IllegalStateException("the hypervisor core classes are not on the class path");
        }
        List<String> names = new ArrayList<>();
        try {
            if (url.getProtocol().equals("jar")) {
                String path = url.getPath();
                String jar = URLDecoder.decode(path.substring("file:".length(), path.indexOf('!')), StandardCharsets.UTF_8);
                try (JarFile f = new JarFile(jar)) {
                    f.stream().map(JarEntry::getName).filter(n -> n.startsWith(dir + "/") && n.endsWith(".class"))
                            .forEach(names::add);
                }
            } else {
                Path root = Path.of(url.toURI());
                try (var files = Files.walk(root)) {
                    files.filter(p -> p.toString().endsWith(".class"))
                            .forEach(p -> names.add(dir + "/" + root.relativize(p).toString().replace('\\', '/')));
                }
            }
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("listing the hypervisor core classes failed: " + e, e);
        }
        Collections.sort(names);
        return names;
    }
}
