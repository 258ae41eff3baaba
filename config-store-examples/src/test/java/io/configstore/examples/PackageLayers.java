package io.configstore.examples;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The compiled main classes of every configstore module on the test class path, read from their class files (no
 * library: the constant pool names every class a class refers to, in code, fields, signatures and annotations), and
 * each module's descriptor. {@link PackageLayeringTest} checks the layering on it.
 */
final class PackageLayers {
    private static final Pattern CONFIGSTORE_CLASS = Pattern.compile("io/configstore/(?:[a-z0-9_]+/)*[A-Z][\\w$]*");

    /** One module's main output: a classes directory or a jar. */
    record Module(Path location, Map<String, byte[]> classes, Optional<ModuleDescriptor> descriptor,
                  Optional<String> automaticName, List<String> registeredProviders) {
    }

    private PackageLayers() {
    }

    /**
     * Every configstore module on the test class path (surefire's, which is not java.class.path when it runs from a
     * manifest-only jar), without test classes.
     */
    static List<Module> modules() {
        String path = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<Module> modules = new ArrayList<>();
        for (String entry : path.split(File.pathSeparator)) {
            Path location = Path.of(entry);
            if (entry.isEmpty() || location.getFileName() == null
                    || location.getFileName().toString().equals("test-classes") || !Files.exists(location)) {
                continue;
            }
            Module module = Files.isDirectory(location) ? fromDirectory(location) : fromJar(location);
            if (!module.classes().isEmpty()) {
                modules.add(module);
            }
        }
        return modules;
    }

    /** Package name -> the packages its classes refer to (other than itself), each with one class that does. */
    static Map<String, Map<String, String>> packageGraph(List<Module> modules) {
        Map<String, Map<String, String>> graph = new TreeMap<>();
        for (Module module : modules) {
            module.classes().forEach((name, bytes) -> {
                String from = packageOf(name);
                Map<String, String> edges = graph.computeIfAbsent(from, k -> new TreeMap<>());
                for (String referenced : referencedClasses(bytes)) {
                    String to = packageOf(referenced);
                    if (!to.equals(from)) {
                        edges.putIfAbsent(to, simpleName(name) + " -> " + referenced.replace('/', '.'));
                    }
                }
            });
        }
        return graph;
    }

    /** Every cycle of the graph, each as one strongly connected set of two or more packages (Tarjan). */
    static List<Set<String>> cycles(Map<String, ? extends Map<String, ?>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<Set<String>> cycles = new ArrayList<>();
        for (String start : graph.keySet()) {
            if (!index.containsKey(start)) {
                connect(start, graph, index, low, stack, onStack, cycles);
            }
        }
        return cycles;
    }

    private static void connect(String node, Map<String, ? extends Map<String, ?>> graph, Map<String, Integer> index,
                                Map<String, Integer> low, Deque<String> stack, Set<String> onStack,
                                List<Set<String>> cycles) {
        index.put(node, index.size());
        low.put(node, index.get(node));
        stack.push(node);
        onStack.add(node);
        Map<String, ?> edges = graph.get(node);
        for (String next : edges == null ? Set.<String>of() : edges.keySet()) {
            if (!index.containsKey(next)) {
                connect(next, graph, index, low, stack, onStack, cycles);
                low.put(node, Math.min(low.get(node), low.get(next)));
            } else if (onStack.contains(next)) {
                low.put(node, Math.min(low.get(node), index.get(next)));
            }
        }
        if (low.get(node).equals(index.get(node))) {
            Set<String> component = new TreeSet<>();
            String member;
            do {
                member = stack.pop();
                onStack.remove(member);
                component.add(member);
            } while (!member.equals(node));
            if (component.size() > 1) {
                cycles.add(component);
            }
        }
    }

    /** The configstore classes a class file names in its constant pool, as internal names (a/b/C). */
    static Set<String> referencedClasses(byte[] classFile) {
        Set<String> found = new TreeSet<>();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile))) {
            in.skipNBytes(8); // magic, minor and major version
            int count = in.readUnsignedShort();
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1 -> {
                        Matcher m = CONFIGSTORE_CLASS.matcher(in.readUTF());
                        while (m.find()) {
                            found.add(m.group());
                        }
                    }
                    case 7, 8, 16, 19, 20 -> in.skipNBytes(2);
                    case 15 -> in.skipNBytes(3);
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipNBytes(4);
                    case 5, 6 -> {
                        in.skipNBytes(8);
                        i++; // a long or double takes two entries
                    }
                    default -> throw new IllegalStateException("unknown constant pool tag " + tag);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    /** a/b/C$D -> a.b */
    static String packageOf(String internalName) {
        int slash = internalName.lastIndexOf('/');
        return slash < 0 ? "" : internalName.substring(0, slash).replace('/', '.');
    }

    private static String simpleName(String internalName) {
        return internalName.substring(internalName.lastIndexOf('/') + 1);
    }

    private static Module fromDirectory(Path dir) {
        Map<String, byte[]> classes = new LinkedHashMap<>();
        Path root = dir.resolve("io/configstore");
        if (Files.isDirectory(root)) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                    String name = dir.relativize(file).toString().replace(File.separatorChar, '/');
                    classes.put(name.substring(0, name.length() - ".class".length()), Files.readAllBytes(file));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        try {
            Path descriptor = dir.resolve("module-info.class");
            Optional<ModuleDescriptor> module = Optional.empty();
            if (Files.exists(descriptor)) {
                try (InputStream in = Files.newInputStream(descriptor)) {
                    module = Optional.of(ModuleDescriptor.read(in));
                }
            }
            Path manifest = dir.resolve("META-INF/MANIFEST.MF");
            Optional<String> automatic = Optional.empty();
            if (Files.exists(manifest)) {
                try (InputStream in = Files.newInputStream(manifest)) {
                    automatic = automaticName(new Manifest(in));
                }
            }
            Path services = dir.resolve("META-INF/services/io.configstore.spi.StoreSetProvider");
            List<String> providers = Files.exists(services) ? providers(Files.readString(services)) : List.of();
            return new Module(dir, classes, module, automatic, providers);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Module fromJar(Path jar) {
        Map<String, byte[]> classes = new LinkedHashMap<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            Optional<ModuleDescriptor> module = Optional.empty();
            List<String> providers = List.of();
            for (var entry : file.stream().toList()) {
                String name = entry.getName();
                if (name.startsWith("io/configstore/") && name.endsWith(".class")) {
                    classes.put(name.substring(0, name.length() - ".class".length()),
                            file.getInputStream(entry).readAllBytes());
                } else if (name.equals("module-info.class")) {
                    module = Optional.of(ModuleDescriptor.read(file.getInputStream(entry)));
                } else if (name.equals("META-INF/services/io.configstore.spi.StoreSetProvider")) {
                    providers = providers(new String(file.getInputStream(entry).readAllBytes(),
                            StandardCharsets.UTF_8));
                }
            }
            Manifest manifest = file.getManifest();
            return new Module(jar, classes, module,
                    manifest == null ? Optional.empty() : automaticName(manifest), providers);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<String> automaticName(Manifest manifest) {
        return Optional.ofNullable(manifest.getMainAttributes().getValue("Automatic-Module-Name"));
    }

    private static List<String> providers(String servicesFile) {
        return servicesFile.lines().map(l -> l.replaceAll("#.*", "").trim()).filter(l -> !l.isEmpty()).toList();
    }
}
