package io.configstore.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.configstore.examples.PackageLayers.Module;
import java.io.File;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The layering of every configstore module on this module's test class path, read from the compiled classes and
 * module descriptors: API packages (what host applications call), SPI packages ({@code *.spi}, and the engine:
 * what backend authors need) and internal packages ({@code *.internal*}: helpers of configstore's own modules).
 */
class PackageLayeringTest {
    private static final String API_MODULE = "io.configstore.api";
    private static final String ENTRY_POINT = "io.configstore";
    private static List<Module> modules;
    private static Map<String, Map<String, String>> graph;

    @BeforeAll
    static void readTheCompiledModules() {
        modules = PackageLayers.modules();
        graph = PackageLayers.packageGraph(modules);
    }

    @Test
    void the_analysis_sees_every_library_module_and_their_dependencies() {
        assertThat(modules.stream().map(PackageLayeringTest::name)).contains(API_MODULE, "io.configstore.engine",
                "io.configstore.memory", "io.configstore.jdbc", "io.configstore.sqlite", "io.configstore.postgres",
                "io.configstore.mariadb", "io.configstore.file", "io.configstore.service", "io.configstore.imports",
                "io.configstore.testkit");
        assertThat(graph.get("io.configstore.store")).containsKey("io.configstore.crypto");
        assertThat(graph.get("io.configstore.sqlite")).containsKey("io.configstore.jdbc");
    }

    @Test
    void a_cycle_is_found_when_two_packages_use_each_other() {
        Map<String, Map<String, String>> crossed = Map.of("a", Map.of("b", ""), "b", Map.of("c", "", "a", ""),
                "c", Map.of());

        assertThat(PackageLayers.cycles(crossed)).containsExactly(Set.of("a", "b"));
    }

    @Test
    void no_package_depends_on_itself_through_other_packages() {
        List<String> cycles = new ArrayList<>();
        for (Set<String> cycle : PackageLayers.cycles(graph)) {
            cycles.add(cycle + ", for instance " + cycle.stream()
                    .flatMap(from -> graph.get(from).entrySet().stream()
                            .filter(edge -> cycle.contains(edge.getKey())).map(Map.Entry::getValue))
                    .collect(Collectors.joining("; ")));
        }

        assertThat(cycles).as("package cycles").isEmpty();
    }

    @Test
    void the_host_facing_api_packages_use_neither_the_spi_nor_the_engine_nor_a_backend() {
        Set<String> apiModulePackages = packagesOf(API_MODULE);
        Set<String> allowed = new TreeSet<>(apiModulePackages);
        allowed.removeIf(p -> p.equals(ENTRY_POINT) || isSpi(p));
        List<String> violations = new ArrayList<>();
        for (String from : apiModulePackages) {
            if (from.equals(ENTRY_POINT) || isSpi(from) || isInternal(from)) {
                continue;
            }
            graph.get(from).forEach((to, example) -> {
                if (!allowed.contains(to)) {
                    violations.add(from + " uses " + to + " (" + example + ")");
                }
            });
        }

        assertThat(violations).isEmpty();
    }

    @Test
    void no_public_signature_outside_the_internal_packages_names_an_internal_type() throws Exception {
        List<String> leaks = new ArrayList<>();
        for (Module module : modules) {
            for (String name : module.classes().keySet()) {
                if (isInternal(PackageLayers.packageOf(name)) || name.endsWith("module-info")
                        || name.endsWith("package-info")) {
                    continue;
                }
                Class<?> type = Class.forName(name.replace('/', '.'), false, getClass().getClassLoader());
                for (Class<?> named : exposedTypes(type)) {
                    if (isInternal(named.getPackageName())) {
                        leaks.add(type.getName() + " exposes " + named.getName());
                    }
                }
            }
        }

        assertThat(leaks).isEmpty();
    }

    @Test
    void modules_export_their_api_and_spi_packages_and_internal_ones_only_to_configstore_modules() {
        List<String> wrong = new ArrayList<>();
        for (Module module : modules) {
            if (module.descriptor().isEmpty()) {
                continue;
            }
            ModuleDescriptor descriptor = module.descriptor().get();
            Set<String> packages = packagesOf(descriptor.name());
            for (ModuleDescriptor.Exports exports : descriptor.exports()) {
                if (isInternal(exports.source()) && (!exports.isQualified()
                        || !exports.targets().stream().allMatch(t -> t.startsWith("io.configstore.")))) {
                    wrong.add(descriptor.name() + " exports " + exports + " to others than configstore's modules");
                }
            }
            Set<String> exported = descriptor.exports().stream().map(ModuleDescriptor.Exports::source)
                    .collect(Collectors.toSet());
            for (String p : packages) {
                if (!exported.contains(p) && !p.endsWith(".jmh_generated")) {
                    wrong.add(descriptor.name() + " does not export " + p);
                }
            }
        }

        assertThat(wrong).isEmpty();
    }

    @Test
    void every_module_names_itself_and_provides_in_its_descriptor_the_backends_it_registers() {
        List<String> wrong = new ArrayList<>();
        for (Module module : modules) {
            if (module.descriptor().isEmpty() && module.automaticName().isEmpty()) {
                wrong.add(module.location() + " has neither module-info nor Automatic-Module-Name");
            }
            Set<String> provided = module.descriptor().stream().flatMap(d -> d.provides().stream())
                    .filter(p -> p.service().equals("io.configstore.spi.StoreSetProvider"))
                    .flatMap(p -> p.providers().stream()).collect(Collectors.toCollection(TreeSet::new));
            if (module.descriptor().isPresent() && !provided.equals(new TreeSet<>(module.registeredProviders()))) {
                wrong.add(name(module) + " registers " + module.registeredProviders() + " in META-INF/services but"
                        + " provides " + provided + " in module-info");
            }
        }

        assertThat(wrong).isEmpty();
    }

    /**
     * The tests run on the class path; this one puts the backends on a module path of their own (a module layer over
     * their jars and their dependencies' jars) and opens a store set of each by URL, as a modular host would: the
     * providers are found through {@code provides}/{@code uses}, and a backend's resources (SQL migrations) are
     * readable from its module.
     */
    @Test
    void on_the_module_path_each_backend_is_found_by_url_and_opens(@TempDir Path dir) throws Exception {
        List<String> dependencies = List.of("jackson-databind-", "jackson-core-", "jackson-annotations-",
                "slf4j-api-", "bcprov-jdk18on-", "HikariCP-", "sqlite-jdbc-", "postgresql-", "mariadb-java-client-");
        List<Path> modulePath = new ArrayList<>();
        for (Module module : modules) {
            if (module.descriptor().isPresent() && !name(module).equals("io.configstore.testkit")
                    && !name(module).equals("io.configstore.examples")) {
                modulePath.add(module.location());
            }
        }
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        for (String entry : classPath.split(File.pathSeparator)) {
            Path jar = Path.of(entry);
            if (jar.getFileName() != null
                    && dependencies.stream().anyMatch(d -> jar.getFileName().toString().startsWith(d))) {
                modulePath.add(jar);
            }
        }
        Configuration configuration = ModuleLayer.boot().configuration().resolveAndBind(
                ModuleFinder.of(modulePath.toArray(Path[]::new)), ModuleFinder.of(),
                Set.of("io.configstore.memory", "io.configstore.sqlite", "io.configstore.file"));
        ModuleLayer layer = ModuleLayer.boot().defineModulesWithOneLoader(configuration,
                ClassLoader.getPlatformClassLoader());
        ClassLoader loader = layer.findLoader("io.configstore.api");
        Class<?> storeSets = loader.loadClass("io.configstore.StoreSets");
        Class<?> provider = loader.loadClass("io.configstore.spi.StoreSetProvider");
        Class<?> secretCipher = loader.loadClass("io.configstore.crypto.SecretCipher");
        Class<?> cipherSource = loader.loadClass("io.configstore.crypto.CipherSource");
        Class<?> aesGcm = loader.loadClass("io.configstore.crypto.AesGcmSecretCipher");
        Object cipher = aesGcm.getMethod("of", String.class, byte[].class)
                .invoke(null, "k1", aesGcm.getMethod("generateKey").invoke(null));
        Object source = cipherSource.getMethod("of", secretCipher).invoke(null, cipher);

        // StoreSets looks for providers through the thread's context class loader, as a host's thread has it.
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            List<String> schemes = new ArrayList<>();
            for (Object p : (List<?>) storeSets.getMethod("providers").invoke(null)) {
                schemes.add(provider.getMethod("scheme").invoke(p) + " " + p.getClass().getModule().getName());
            }
            assertThat(schemes).contains("memory: io.configstore.memory", "sqlite: io.configstore.sqlite",
                    "file: io.configstore.file", "jdbc:mariadb: io.configstore.mariadb",
                    "jdbc:mysql: io.configstore.mariadb");
            for (String url : List.of("memory:", "sqlite:" + dir.resolve("store.db"),
                    "file:" + dir.resolve("files"))) {
                Object stores = storeSets.getMethod("open", String.class, cipherSource).invoke(null, url, source);
                assertThat(stores.getClass().getModule().isNamed()).as(url).isTrue();
                ((AutoCloseable) stores).close();
            }
        } finally {
            thread.setContextClassLoader(before);
        }
    }

    private static String name(Module module) {
        return module.descriptor().map(ModuleDescriptor::name)
                .or(module::automaticName).orElse(module.location().toString());
    }

    private static Set<String> packagesOf(String moduleName) {
        return modules.stream().filter(m -> name(m).equals(moduleName))
                .flatMap(m -> m.classes().keySet().stream()).map(PackageLayers::packageOf)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static boolean isInternal(String pkg) {
        return (pkg + ".").contains(".internal.");
    }

    private static boolean isSpi(String pkg) {
        return pkg.endsWith(".spi") || pkg.equals("io.configstore.engine");
    }

    /**
     * The types a caller sees in a public type's public and protected signatures: supertypes, fields, constructors
     * and methods, type arguments and bounds included. Empty for a type a caller cannot reach.
     */
    private static Set<Class<?>> exposedTypes(Class<?> type) {
        Set<Class<?>> found = new HashSet<>();
        for (Class<?> t = type; t != null; t = t.getEnclosingClass()) {
            if (!Modifier.isPublic(t.getModifiers())) {
                return found;
            }
        }
        Set<Type> seen = new HashSet<>();
        collect(type.getGenericSuperclass(), found, seen);
        for (Type t : type.getGenericInterfaces()) {
            collect(t, found, seen);
        }
        for (TypeVariable<?> v : type.getTypeParameters()) {
            collect(v, found, seen);
        }
        for (Field f : type.getDeclaredFields()) {
            if (visible(f)) {
                collect(f.getGenericType(), found, seen);
            }
        }
        for (Constructor<?> c : type.getDeclaredConstructors()) {
            if (visible(c)) {
                collectAll(c.getGenericParameterTypes(), found, seen);
                collectAll(c.getGenericExceptionTypes(), found, seen);
            }
        }
        for (Method m : type.getDeclaredMethods()) {
            if (visible(m) && !m.isBridge()) {
                collect(m.getGenericReturnType(), found, seen);
                collectAll(m.getGenericParameterTypes(), found, seen);
                collectAll(m.getGenericExceptionTypes(), found, seen);
                collectAll(m.getTypeParameters(), found, seen);
            }
        }
        return found;
    }

    private static boolean visible(Member member) {
        return !member.isSynthetic()
                && (Modifier.isPublic(member.getModifiers()) || Modifier.isProtected(member.getModifiers()));
    }

    private static void collectAll(Type[] types, Set<Class<?>> found, Set<Type> seen) {
        for (Type t : types) {
            collect(t, found, seen);
        }
    }

    private static void collect(Type type, Set<Class<?>> found, Set<Type> seen) {
        if (type == null || !seen.add(type)) {
            return;
        }
        if (type instanceof Class<?> c) {
            if (c.isArray()) {
                collect(c.getComponentType(), found, seen);
            } else {
                found.add(c);
            }
        } else if (type instanceof ParameterizedType p) {
            collect(p.getRawType(), found, seen);
            collect(p.getOwnerType(), found, seen);
            collectAll(p.getActualTypeArguments(), found, seen);
        } else if (type instanceof WildcardType w) {
            collectAll(w.getUpperBounds(), found, seen);
            collectAll(w.getLowerBounds(), found, seen);
        } else if (type instanceof TypeVariable<?> v) {
            collectAll(v.getBounds(), found, seen);
        } else if (type instanceof GenericArrayType a) {
            collect(a.getGenericComponentType(), found, seen);
        }
    }
}
