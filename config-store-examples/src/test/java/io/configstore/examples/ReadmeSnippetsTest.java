package io.configstore.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Java block of every README in the repository compiles against every module (this module's test class path
 * holds them all), and a block shown as a copy of a source file equals it; the rules are {@link ReadmeSnippets}'s.
 */
class ReadmeSnippetsTest {
    /** The repository root: Maven runs the tests in this module's directory, one below it. */
    private static Path repositoryRoot() {
        Path root = Path.of("").toAbsolutePath().getParent();
        assertThat(root.resolve("pom.xml")).as("the repository root above config-store-examples").exists();
        assertThat(root.resolve("README.md")).exists();
        return root;
    }

    /**
     * The test class path. Surefire hands it over in {@code surefire.test.class.path} (java.class.path may be a
     * manifest-only jar); outside surefire java.class.path is the class path itself.
     */
    private static String testClassPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    @Test
    void every_java_block_of_every_readme_compiles(@TempDir Path classes) throws Exception {
        Path root = repositoryRoot();
        List<Path> readmes = ReadmeSnippets.readmes(root);
        assertThat(readmes).as("README files found").contains(root.resolve("README.md"),
                root.resolve("config-store-testkit/README.md"));
        long blocks = readmes.stream().mapToLong(r -> ReadmeSnippets.blocks(r).size()).sum();
        assertThat(blocks).as("Java blocks found").isGreaterThanOrEqualTo(10);

        List<String> failures = ReadmeSnippets.check(root, testClassPath(), classes);

        assertThat(failures).as("README Java blocks that do not compile or differ from their source; rules in "
                + "ReadmeSnippets' Javadoc").isEmpty();
    }

    @Test
    void every_builder_option_table_lists_exactly_the_builders_options() throws Exception {
        List<String> checked = new java.util.ArrayList<>();

        List<String> failures = ReadmeOptionTables.check(repositoryRoot(), checked);

        assertThat(checked).contains("io.configstore.sqlite.SqliteStoreSet$Builder",
                "io.configstore.postgres.PostgresStoreSet$Builder", "io.configstore.mariadb.MariaDbStoreSet$Builder",
                "io.configstore.file.FileStoreSet$Builder",
                "io.configstore.service.ConfigurationServiceBuilder");
        assertThat(failures).as("README option tables that disagree with their builder; rules in ReadmeOptionTables")
                .isEmpty();
    }

    /** A builder for the option-table check to compare a README with. */
    public static final class SampleBuilder {
        public SampleBuilder path(String path) {
            return this;
        }

        public SampleBuilder cipher(String cipher) {
            return this;
        }

        public SampleBuilder masterKeys(String keys) {
            return this;
        }

        public Object open() {
            return this;
        }
    }

    @Test
    void an_option_table_that_lacks_an_option_or_lists_a_gone_one_is_reported(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("README.md"), String.join("\n",
                "<!-- options-of: " + SampleBuilder.class.getName() + " -->",
                "| option | meaning |",
                "|---|---|",
                "| `path(String)` | the file |",
                "| `cipher` | required |",
                "| `poolSize(int)` | gone |",
                ""), StandardCharsets.UTF_8);

        List<String> failures = ReadmeOptionTables.check(dir, new java.util.ArrayList<>());

        assertThat(failures).singleElement().asString().startsWith("README.md:1: ")
                .contains("lacks [masterKeys]").contains("lists [poolSize]");
    }

    @Test
    void a_block_that_does_not_compile_is_reported_with_its_readme_and_line(@TempDir Path dir) throws Exception {
        Path module = Files.createDirectories(dir.resolve("docs/module"));
        Files.writeString(module.resolve("README.md"), String.join("\n",
                "# A module",
                "",
                "<!-- java-context",
                "String name = \"app\";",
                "-->",
                "```java",
                "Optional<String> present = Optional.of(name);   // compiles: java.util and the context",
                "```",
                "",
                "1. A list item",
                "   ```java",
                "   int count = \"not a number\";",
                "   ```",
                "",
                "```java",
                "public class Whole {",
                "    void run() { undefinedCall(); }",
                "}",
                "```",
                ""), StandardCharsets.UTF_8);

        List<String> failures = ReadmeSnippets.check(dir.resolve("docs"), testClassPath(), dir.resolve("out"));

        assertThat(failures).hasSize(2);
        assertThat(failures.get(0)).startsWith("module" + File.separator + "README.md block at line 12 does not compile")
                .contains("README.md:12: ").contains("incompatible types");
        assertThat(failures.get(1)).startsWith("module" + File.separator + "README.md block at line 16 does not compile")
                .contains("a whole class").contains("README.md:17: ").contains("undefinedCall");
    }

    @Test
    void a_block_shown_as_a_copy_of_a_source_file_must_equal_it(@TempDir Path dir) throws Exception {
        Path docs = Files.createDirectories(dir.resolve("docs"));
        Files.writeString(docs.resolve("Shown.java"), "package x;\n\nclass Shown {\n    int value = 1;\n}\n");
        Files.writeString(docs.resolve("README.md"), String.join("\n",
                "<!-- java-source: Shown.java -->",
                "```java",
                "class Shown {",
                "    int value = 2;",
                "}",
                "```",
                ""), StandardCharsets.UTF_8);

        List<String> failures = ReadmeSnippets.check(docs, testClassPath(), dir.resolve("out"));

        assertThat(failures).singleElement().asString().contains("README.md block at line 3 differs from Shown.java")
                .contains("README line 4");
    }
}
