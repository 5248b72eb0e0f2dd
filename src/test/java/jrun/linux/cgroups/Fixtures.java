package jrun.linux.cgroups;

import static jrun.json.Jackson.toJsonValue;

import java.util.BitSet;
import java.util.Set;
import java.util.function.Predicate;
import jrun.spec.Resources;
import jrun.spec.SpecReader;
import tools.jackson.databind.ObjectMapper;

/** Resources from JSON text, and a host made up for the checks. */
final class Fixtures {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Fixtures() {}

    static Resources resources(String json) {
        return SpecReader.readResources(toJsonValue(JSON.readTree(json)), "test");
    }

    /** A host with two CPUs, one memory node, 2MB and 1GB huge pages. */
    record FakeFacts(CgroupMode mode, Set<String> controllers, Predicate<String> files) implements CgroupFacts {
        static FakeFacts v2(String... controllers) {
            return new FakeFacts(CgroupMode.V2, Set.of(controllers), f -> true);
        }

        static FakeFacts v1(Predicate<String> files, String... controllers) {
            return new FakeFacts(CgroupMode.V1, Set.of(controllers), files);
        }

        @Override
        public boolean hasController(String controller) {
            return controllers.contains(controller);
        }

        @Override
        public boolean hasFile(String file) {
            return files.test(file);
        }

        @Override
        public BitSet onlineCpus() {
            return CpuList.parse("0-1");
        }

        @Override
        public BitSet onlineMems() {
            return CpuList.parse("0");
        }

        @Override
        public Set<String> hugepageSizes() {
            return Set.of("2MB", "1GB");
        }
    }
}
