package dev.rehype.campaign.run;

import dev.rehype.campaign.FileCampaignStore;
import dev.rehype.campaign.RunSink;
import dev.rehype.campaign.plan.Shard;
import dev.rehype.campaign.spec.CampaignSpec;
import dev.rehype.campaign.spec.SpecParser;

import java.nio.file.Path;

/** The child JVM of {@link CampaignRunnerTest}'s kill -9 test: runs the test campaign into a file store. */
public final class ResumeChild {
    private ResumeChild() {
    }

    public static void main(String[] args) throws Exception {
        CampaignSpec spec = SpecParser.parse(CampaignRunnerTest.SPEC, "resume.yaml");
        try (RunSink sink = new FileCampaignStore().open(Path.of(args[0]), spec.name(), Shard.ALL)) {
            new CampaignRunner(spec, new FakeBackend(Long.parseLong(args[1]), false), sink, Progress.NONE)
                    .run(2, Shard.ALL, 0);
        }
    }
}
