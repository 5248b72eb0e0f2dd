package jrun.validation;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicBoolean;

import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.dialect.BasicDialectRegistry;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.path.PathType;
import com.networknt.schema.serialization.NodeReader;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The compiled OCI schemas (oci-schemas/ on the class path). Compiling the config schema is the
 * most expensive step of loading a bundle, so it happens once per JVM and can be started early on
 * a background thread with {@link #prewarm()}; {@link #config()} then only waits for it.
 */
final class OciSchemas {
    static final String LOCATION = "classpath:oci-schemas/";
    /** The keyword whose object maps a failing keyword to our wording (see SchemaMessages). */
    static final String MESSAGE_KEYWORD = "x-message";

    private static final FutureTask<Schema> CONFIG = new FutureTask<>(() -> {
        // Jackson's value nodes hold BigDecimal constants, and on JDK 25 initialising BigDecimal
        // computes 5^65536 (~18 ms, interpreted). Doing it first here lets the thread that parses
        // config.json find it done instead of paying for it.
        JsonNodeFactory.instance.booleanNode(true);
        return compile("config-schema.json");
    });
    private static final AtomicBoolean PREWARM_STARTED = new AtomicBoolean();

    static {
        // networknt logs through slf4j, whose provider lookup (a ServiceLoader scan of the class
        // path) costs 15-30 ms even from an AOT cache. Naming the provider skips the scan; the
        // verbosity setting silences the line slf4j would print about it. Explicit settings win.
        setIfAbsent("slf4j.provider", "org.slf4j.nop.NOPServiceProvider");
        setIfAbsent("slf4j.internal.verbosity", "WARN");
    }

    private OciSchemas() {}

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }

    /** Starts compiling the config schema on a daemon thread, once; later calls do nothing. */
    static void prewarm() {
        if (PREWARM_STARTED.compareAndSet(false, true)) {
            Thread.ofPlatform().daemon().name("jrun-schema").start(CONFIG);
        }
    }

    /** The config schema, compiled on this thread unless a prewarm thread is already at it. */
    static Schema config() {
        CONFIG.run(); // returns at once if the task already ran or is running elsewhere
        return await(CONFIG);
    }

    static Schema state() {
        return StateHolder.SCHEMA;
    }

    private static final class StateHolder {
        static final Schema SCHEMA = compile("state-schema.json");
    }

    private static final class RegistryHolder {
        static final SchemaRegistry REGISTRY = SchemaRegistry.builder()
                .dialectRegistry(new BasicDialectRegistry(Dialects.getDraft202012()))
                .defaultDialectId(SpecificationVersion.DRAFT_2020_12.getDialectId())
                .nodeReader(new TreeNodeReader())
                .schemaRegistryConfig(SchemaRegistryConfig.builder()
                        .errorMessageKeyword(MESSAGE_KEYWORD)
                        .pathType(PathType.JSON_POINTER)
                        .build())
                .build();
    }

    private static Schema compile(String file) {
        Schema schema = RegistryHolder.REGISTRY.getSchema(SchemaLocation.of(LOCATION + file));
        // Resolve every $ref now, on whichever thread compiles, rather than on first use.
        schema.initializeValidators();
        return schema;
    }

    private static Schema await(FutureTask<Schema> task) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return task.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } catch (ExecutionException e) {
            // The schemas ship inside jrun: failing to compile them is a build defect, not user error.
            throw new IllegalStateException("cannot compile jrun's OCI schemas: " + e.getCause(), e.getCause());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Reads schema documents with {@link JsonTrees} instead of networknt's ObjectMapper. */
    private static final class TreeNodeReader implements NodeReader {
        @Override
        public JsonNode readTree(String content, InputFormat format) {
            return JsonTrees.parse(content.getBytes(StandardCharsets.UTF_8), "schema");
        }

        @Override
        public JsonNode readTree(InputStream content, InputFormat format) {
            return JsonTrees.parse(content, "schema");
        }
    }
}
