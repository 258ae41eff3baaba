package io.configstore.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.configstore.error.MalformedJsonException;
import io.configstore.error.StorageException;
import io.configstore.error.ValidationException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Numbers read back exactly as written: the canonical form {@link Json#asStored} gives and every backend keeps. */
class JsonNumbersTest {

    /** Each field's class, so that two trees can be compared by node type as well as by value and text. */
    private static List<String> nodeTypes(JsonNode node) {
        List<String> types = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            types.add(field.getKey() + ":" + field.getValue().getClass().getSimpleName());
        }
        return types;
    }

    @Test
    void stored_text_reads_back_with_every_number_as_written() {
        String text = "{\"scaled\":1.10,\"huge\":1E+300,\"long\":12345678901234567890,\"tenth\":0.1,"
                + "\"tiny\":1E-7,\"negative\":-2.50,\"int\":7,\"big\":123456789012345678901234567890.5}";
        ObjectNode read = Json.readStored("document 'app'", text);
        assertThat(Json.write(read)).isEqualTo(text);
        assertThat(read.get("scaled")).isInstanceOf(DecimalNode.class);
        assertThat(read.get("scaled").decimalValue()).isEqualTo(new BigDecimal("1.10"));
        assertThat(read.get("huge").decimalValue()).isEqualTo(new BigDecimal("1E+300"));
        assertThat(read.get("long")).isInstanceOf(BigIntegerNode.class);
        assertThat(read.get("long").bigIntegerValue()).isEqualTo(new BigInteger("12345678901234567890"));
        assertThat(read.get("tenth").decimalValue()).isEqualTo(new BigDecimal("0.1"));
        assertThat(read.get("int")).isInstanceOf(IntNode.class);
    }

    @Test
    void a_number_in_lower_case_exponent_form_reads_back_as_the_same_decimal() {
        ObjectNode read = Json.readStored("document 'app'", "{\"huge\":1e300,\"small\":2.5e-3}");
        assertThat(read.get("huge").decimalValue()).isEqualTo(new BigDecimal("1E+300"));
        assertThat(read.get("small").decimalValue()).isEqualTo(new BigDecimal("0.0025"));
        assertThat(Json.write(read)).isEqualTo("{\"huge\":1E+300,\"small\":0.0025}");
    }

    @Test
    void minus_zero_reads_back_as_zero_with_its_scale_because_a_decimal_has_no_negative_zero() {
        ObjectNode read = Json.readStored("document 'app'", "{\"a\":-0.0,\"b\":-0,\"c\":-0.00}");
        assertThat(Json.write(read)).isEqualTo("{\"a\":0.0,\"b\":0,\"c\":0.00}");
        ObjectNode fromDouble = Json.asStored("document 'app'", Json.object().put("a", -0.0d));
        assertThat(Json.write(fromDouble)).isEqualTo("{\"a\":0.0}");
        assertThat(fromDouble.get("a").decimalValue().signum()).isZero();
    }

    @Test
    void as_stored_gives_the_text_and_the_node_types_that_read_stored_gives_and_is_stable() {
        ObjectNode written = Json.object()
                .put("fromDouble", 0.1d)
                .put("hugeDouble", 1e300d)
                .put("minusZero", -0.0d)
                .put("scaled", new BigDecimal("1.10"))
                .put("twenty", new BigInteger("12345678901234567890"))
                .put("float", 0.1f)
                .put("long", 5L)
                .put("int", 3);
        written.putObject("nested").putArray("list").add(2.5d).add(new BigDecimal("2.50"));

        ObjectNode stored = Json.asStored("document 'app'", written);
        String text = Json.write(stored);
        assertThat(text).isEqualTo("{\"fromDouble\":0.1,\"hugeDouble\":1.0E+300,\"minusZero\":0.0,\"scaled\":1.10,"
                + "\"twenty\":12345678901234567890,\"float\":0.1,\"long\":5,\"int\":3,"
                + "\"nested\":{\"list\":[2.5,2.50]}}");
        ObjectNode readBack = Json.readStored("document 'app'", text);
        assertThat(readBack).isEqualTo(stored);
        assertThat(nodeTypes(readBack)).isEqualTo(nodeTypes(stored));
        assertThat(readBack.get("nested").get("list").get(1)).isInstanceOf(DecimalNode.class);
        ObjectNode again = Json.asStored("document 'app'", stored);
        assertThat(Json.write(again)).isEqualTo(text);
        assertThat(nodeTypes(again)).isEqualTo(nodeTypes(stored));
    }

    @Test
    void a_double_becomes_the_decimal_of_its_shortest_text_exactly() {
        ObjectNode stored = Json.asStored("settings", Json.object().put("tenth", 0.1d).put("third", 1.0d / 3));
        assertThat(stored.get("tenth").decimalValue()).isEqualTo(new BigDecimal("0.1"));
        assertThat(stored.get("third").decimalValue()).isEqualTo(new BigDecimal(Double.toString(1.0d / 3)));
        assertThat(stored.get("third").doubleValue()).isEqualTo(1.0d / 3);
    }

    @Test
    void a_decimal_built_in_code_keeps_its_trailing_zeros() {
        ObjectNode built = Json.object().put("price", new BigDecimal("1.10"));
        assertThat(Json.write(built)).isEqualTo("{\"price\":1.10}");
        assertThat(Json.write(Json.asStored("settings", built))).isEqualTo("{\"price\":1.10}");
    }

    record Ratios(double ratio, float weight, BigDecimal price) {
    }

    @Test
    void a_host_value_keeps_its_numbers_as_their_shortest_text_and_binds_back() {
        ObjectNode tree = Json.toObject("value", new Ratios(0.1d, 0.1f, new BigDecimal("2.50")));
        ObjectNode stored = Json.asStored("document 'app'", tree);
        assertThat(Json.write(stored)).isEqualTo("{\"ratio\":0.1,\"weight\":0.1,\"price\":2.50}");
        assertThat(Json.bind("document 'app'", stored, Ratios.class))
                .isEqualTo(new Ratios(0.1d, 0.1f, new BigDecimal("2.50")));
    }

    @Test
    void a_caller_text_keeps_its_numbers_through_parse_and_as_stored() {
        ObjectNode parsed = Json.parseObject("settings", "{\"a\":1.10,\"b\":1e300,\"c\":12345678901234567890}");
        assertThat(Json.write(Json.asStored("settings", parsed)))
                .isEqualTo("{\"a\":1.10,\"b\":1E+300,\"c\":12345678901234567890}");
    }

    @Test
    void the_strict_reader_of_files_keeps_numbers_exactly_too() {
        JsonNode root = Json.readWhole("store file x", "{\"a\":1.10,\"b\":-0.0}".getBytes(StandardCharsets.UTF_8),
                "a JSON object");
        assertThat(Json.write(root)).isEqualTo("{\"a\":1.10,\"b\":0.0}");
        assertThat(Json.newStrictMapper().createObjectNode().put("a", new BigDecimal("1.10")).toString())
                .isEqualTo("{\"a\":1.10}");
    }

    @Test
    void a_number_beyond_a_doubles_range_is_refused_with_its_path_and_never_repeated() {
        assertThatThrownBy(() -> Json.parseObject("settings", "{\"limits\":{\"max\":17e400}}"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("number out of range at $.limits.max")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("17e400").doesNotContain("1.7E+401"));
        ObjectNode built = Json.object().put("max", new BigDecimal("-2E+308"));
        assertThatThrownBy(() -> Json.requireObject("content", built))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("$.max");
    }

    @Test
    void an_exponent_beyond_the_scale_limit_is_refused_even_for_zero() {
        assertThat(Json.parseObject("settings", "{\"a\":1e-1000,\"b\":0e1000}").get("a").decimalValue())
                .isEqualTo(new BigDecimal("1E-1000"));
        for (String number : List.of("1e-1001", "0e1001", "0e-5000", "5e-2147483647")) {
            assertThatThrownBy(() -> Json.parseObject("settings", "{\"a\":" + number + "}"))
                    .as(number)
                    .isInstanceOf(ValidationException.class)
                    .hasMessageContaining("$.a")
                    .hasMessageContaining("between -" + Json.MAX_NUMBER_SCALE + " and " + Json.MAX_NUMBER_SCALE);
        }
    }

    @Test
    void an_exponent_that_no_decimal_can_hold_is_an_error_of_ours_that_never_repeats_the_number() {
        String text = "{\"a\":1e99999999999}";
        assertThatThrownBy(() -> Json.parseObject("settings", text))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("exponent is out of range")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("99999"));
        assertThatThrownBy(() -> Json.readStored("document 'app'", text))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("document 'app'")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("99999"));
        assertThatThrownBy(() -> Json.readTree(text))
                .isInstanceOf(StorageException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("99999"));
        assertThatThrownBy(() -> Json.readWhole("store file x", ("{\n\"a\": 1e99999999999}")
                .getBytes(StandardCharsets.UTF_8), "a JSON object"))
                .isInstanceOfSatisfying(MalformedJsonException.class, e -> {
                    assertThat(e.problem()).isEqualTo(MalformedJsonException.Problem.NUMBER_OUT_OF_RANGE);
                    assertThat(e.line()).isEqualTo(2);
                    assertThat(e.getMessage()).contains("store file x").doesNotContain("99999");
                });
    }

    @Test
    void nan_and_infinite_doubles_are_still_refused() {
        assertThatThrownBy(() -> Json.requireObject("settings", Json.object().put("r", Double.NaN)))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("NaN or infinite");
        assertThatThrownBy(() -> Json.requireObject("settings", Json.object().put("r", Float.NEGATIVE_INFINITY)))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("$.r");
    }
}
