package io.configstore.effective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.configstore.error.ValidationException;
import io.configstore.model.ConfigDocument;
import io.configstore.model.Json;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The range of a numeric type is part of the type: a value outside it fails at load, naming where it came from. */
class EffectiveNumericRangeTest {
    record Limits(int maxConnections) {
    }

    record Numbers(byte tiny, short small, int port, long size, float ratio, double weight,
                   Byte boxedTiny, Short boxedSmall, Integer boxedPort, Long boxedSize, Float boxedRatio,
                   Double boxedWeight, BigInteger huge, BigDecimal exact, Number any, Limits limits) {
    }

    private static final String BYTE = "an integer from -128 to 127 (byte)";
    private static final String SHORT = "an integer from -32768 to 32767 (short)";
    private static final String INT = "an integer from -2147483648 to 2147483647 (int)";
    private static final String LONG = "an integer from -9223372036854775808 to 9223372036854775807 (long)";
    private static final String FLOAT = "a number from -3.4028235E38 to 3.4028235E38 (float)";
    private static final String DOUBLE = "a number from -1.7976931348623157E308 to 1.7976931348623157E308 (double)";

    private static EffectiveConfigLoader.Builder loader() {
        return EffectiveConfigLoader.builder("app").bindTo(Numbers.class);
    }

    private static EffectiveConfig stored(String json) {
        ConfigDocument doc = new ConfigDocument("default", "app", Json.parseObject("test", json), 1, 1,
                Instant.EPOCH, "alice", null);
        return EffectiveConfigLoader.builder("app").build().resolve(Optional.of(doc));
    }

    /** field, environment name, the largest and smallest values that fit, values just past them, the type's words. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            tiny        | TINY         | 127                     | -128                     | 129                     | -130                      | an integer from -128 to 127 (byte)
            boxedTiny   | BOXED_TINY   | 127                     | -128                     | 129                     | -130                      | an integer from -128 to 127 (byte)
            small       | SMALL        | 32767                   | -32768                   | 32769                   | -32770                    | an integer from -32768 to 32767 (short)
            boxedSmall  | BOXED_SMALL  | 32767                   | -32768                   | 32769                   | -32770                    | an integer from -32768 to 32767 (short)
            port        | PORT         | 2147483647              | -2147483648              | 2147483649              | -2147483650               | an integer from -2147483648 to 2147483647 (int)
            boxedPort   | BOXED_PORT   | 2147483647              | -2147483648              | 2147483649              | -2147483650               | an integer from -2147483648 to 2147483647 (int)
            size        | SIZE         | 9223372036854775807     | -9223372036854775808     | 9223372036854775809     | -9223372036854775810      | an integer from -9223372036854775808 to 9223372036854775807 (long)
            boxedSize   | BOXED_SIZE   | 9223372036854775807     | -9223372036854775808     | 9223372036854775809     | -9223372036854775810      | an integer from -9223372036854775808 to 9223372036854775807 (long)
            ratio       | RATIO        | 3.4028234e38            | -3.4028234e38            | 3.5e38                  | -1e39                     | a number from -3.4028235E38 to 3.4028235E38 (float)
            boxedRatio  | BOXED_RATIO  | 3.4028234e38            | -3.4028234e38            | 3.5e38                  | -1e39                     | a number from -3.4028235E38 to 3.4028235E38 (float)
            weight      | WEIGHT       | 1.7976931348623157e308  | -1.7976931348623157e308  | 1.8e308                 | -1e400                    | a number from -1.7976931348623157E308 to 1.7976931348623157E308 (double)
            boxedWeight | BOXED_WEIGHT | 1.7976931348623157e308  | -1.7976931348623157e308  | 1.8e308                 | -1e400                    | a number from -1.7976931348623157E308 to 1.7976931348623157E308 (double)
            """)
    void a_number_outside_its_types_range_fails_at_load_naming_the_argument_or_variable_the_path_and_the_type(
            String field, String variable, String max, String min, String aboveMax, String belowMin, String type) {
        for (String fits : List.of(max, min)) {
            EffectiveConfig fromArgs = loader().commandLine(List.of("--" + field + "=" + fits)).build()
                    .resolve(Optional.empty());
            EffectiveConfig fromEnv = loader().environment(Map.of("CONFIGSTORE_" + variable, fits)).build()
                    .resolve(Optional.empty());
            assertThat(fromArgs.tree().get(field).decimalValue()).isEqualByComparingTo(new BigDecimal(fits));
            assertThat(fromEnv.tree().get(field).decimalValue()).isEqualByComparingTo(new BigDecimal(fits));
            fromArgs.bind(Numbers.class);
        }
        for (String misfit : List.of(aboveMax, belowMin)) {
            boolean integral = type.startsWith("an integer");
            String found = integral ? "an integer outside that range" : "a number outside that range";
            assertThatThrownBy(() -> loader().commandLine(List.of("positional", "--" + field + "=" + misfit))
                    .build().resolve(Optional.empty()))
                    .isInstanceOfSatisfying(ValidationException.class, e -> {
                        assertThat(e.problems()).containsExactly("args[1] --" + field + " sets " + field
                                + ", which must be " + type + ", but its value is " + found
                                + "; correct or remove it");
                        assertThat(e.getMessage()).doesNotContain(misfit);
                    });
            assertThatThrownBy(() -> loader().environment(Map.of("CONFIGSTORE_" + variable, misfit)).build()
                    .resolve(Optional.empty()))
                    .isInstanceOfSatisfying(ValidationException.class, e -> {
                        assertThat(e.problems()).containsExactly("environment variable CONFIGSTORE_" + variable
                                + " sets " + field + ", which must be " + type + ", but its value is " + found
                                + "; correct or remove it");
                        assertThat(e.getMessage()).doesNotContain(misfit);
                    });
        }
    }

    @Test
    void the_issues_example_an_int_flag_of_2147483648_fails_at_load_not_at_bind() {
        assertThatThrownBy(() -> EffectiveConfigLoader.builder("app").bindTo(Numbers.class)
                .commandLine(List.of("--port=2147483648")).build().resolve(Optional.empty()))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.problems()).containsExactly(
                        "args[0] --port sets port, which must be " + INT + ", but its value is an integer outside"
                                + " that range; correct or remove it"));
    }

    @Test
    void big_integer_takes_any_size_and_big_decimal_keeps_every_digit_within_a_doubles_range() {
        String huge = "1" + "0".repeat(60);
        String exact = "0.1000000000000000000000000000001";
        EffectiveConfig effective = loader().environment(Map.of("CONFIGSTORE_HUGE", huge))
                .commandLine(List.of("--exact=" + exact)).build().resolve(Optional.empty());

        Numbers bound = effective.bind(Numbers.class);

        assertThat(bound.huge()).isEqualTo(new BigInteger(huge));
        assertThat(bound.exact()).isEqualByComparingTo(new BigDecimal(exact));
        // Every stored number must fit a double (Json's rule), so a BigDecimal's range is a double's.
        assertThatThrownBy(() -> loader().commandLine(List.of("--exact=1e400")).build().resolve(Optional.empty()))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.problems()).containsExactly(
                        "args[0] --exact sets exact, which must be a number from -1.7976931348623157E308 to"
                                + " 1.7976931348623157E308 (BigDecimal), but its value is a number outside that"
                                + " range; correct or remove it"));
        // With no bound type, a number too large for a double is refused the same way, naming its variable.
        ConfigDocument doc = new ConfigDocument("default", "app", Json.parseObject("test", "{\"ratio\":0.5}"), 1,
                1, Instant.EPOCH, "alice", null);
        assertThatThrownBy(() -> EffectiveConfigLoader.builder("app")
                .environment(Map.of("CONFIGSTORE_RATIO", "1e400")).build().resolve(Optional.of(doc)))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.problems()).containsExactly(
                        "environment variable CONFIGSTORE_RATIO sets ratio, which must be " + DOUBLE + ", but its"
                                + " value is a number outside that range; correct or remove it"));
        // Nor does a type that takes any number (Number) let one through that no stored document may hold.
        assertThatThrownBy(() -> loader().commandLine(List.of("--any=-1e400")).build().resolve(Optional.empty()))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.problems()).containsExactly(
                        "args[0] --any sets any, which must be " + DOUBLE + ", but its value is a number outside"
                                + " that range; correct or remove it"));
    }

    @Test
    void a_decimal_for_an_integer_type_is_not_an_integer_and_a_huge_one_is_judged_without_expanding_it() {
        assertThatThrownBy(() -> loader().commandLine(List.of("--port=80.5", "--size=1e999999999")).build()
                .resolve(Optional.empty()))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.problems()).containsExactly(
                        "args[0] --port sets port, which must be " + INT + ", but its value is not one; correct or"
                                + " remove it",
                        "args[1] --size sets size, which must be " + LONG + ", but its value is not one; correct"
                                + " or remove it"));
        assertThatThrownBy(() -> loader().commandLine(List.of("--weight=1e999999999")).build()
                .resolve(Optional.empty()))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.problems()).containsExactly(
                        "args[0] --weight sets weight, which must be " + DOUBLE + ", but its value is a number"
                                + " outside that range; correct or remove it"));
    }

    @Test
    void a_json_value_with_a_number_outside_its_range_names_the_argument_and_the_inner_path() {
        assertThatThrownBy(() -> loader().commandLine(List.of("--limits={\"maxConnections\":99999999999}")).build()
                .resolve(Optional.empty()))
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.problems()).containsExactly("args[0] --limits sets limits, whose"
                            + " limits.maxConnections must be " + INT + ", but is an integer outside that range;"
                            + " correct or remove it");
                    assertThat(e.getMessage()).doesNotContain("99999999999");
                });
    }

    @Test
    void binding_a_stored_number_outside_its_range_names_the_type_the_range_and_the_origin() {
        EffectiveConfig effective = stored("""
                {"tiny":200,"small":-40000,"port":2147483648,"size":1e30,"ratio":1e300,"weight":12.5,
                 "boxedPort":80.5,"limits":{"maxConnections":3000000000}}""");

        assertThatThrownBy(() -> effective.bind(Numbers.class))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.problems()).containsExactly(
                        "tiny: expected " + BYTE + ", found an integer outside that range (set by store: document"
                                + " 'app' revision 1)",
                        "small: expected " + SHORT + ", found an integer outside that range (set by store:"
                                + " document 'app' revision 1)",
                        "port: expected " + INT + ", found an integer outside that range (set by store: document"
                                + " 'app' revision 1)",
                        "size: expected " + LONG + ", found an integer outside that range (set by store: document"
                                + " 'app' revision 1)",
                        "ratio: expected " + FLOAT + ", found a number outside that range (set by store:"
                                + " document 'app' revision 1)",
                        "boxedPort: expected " + INT + ", found a decimal number (set by store: document 'app'"
                                + " revision 1)",
                        "limits.maxConnections: expected " + INT + ", found an integer outside that range (set by"
                                + " store: document 'app' revision 1)"));
    }
}
