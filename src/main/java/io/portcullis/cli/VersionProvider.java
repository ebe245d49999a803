package io.portcullis.cli;

import picocli.CommandLine;

/** Reports the version from the jar manifest, or "development" when run from classes. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = PortcullisCommand.class.getPackage().getImplementationVersion();
        return new String[] {"portcullis " + (version == null ? "development" : version)};
    }
}
