import java.lang.module.FindException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Build check run by every published module at {@code verify} (see the parent pom): the jar names its
 * module as the JVM derives it ({@code Automatic-Module-Name}), holds only packages under that name (so
 * no two modules split a package and a later {@code module-info.java} is possible), and tracker-bom
 * manages the artifact at this version.
 *
 * <p>Usage: {@code java PublishedJarCheck.java PACKAGING JAR MODULE_NAME ARTIFACT_ID VERSION BOM_POM};
 * a module of packaging {@code pom} (the parent) has no jar and passes.
 */
public final class PublishedJarCheck {

    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            fail(List.of("usage: PublishedJarCheck PACKAGING JAR MODULE_NAME ARTIFACT_ID VERSION BOM_POM"));
        }
        if (args[0].equals("pom")) {
            return;
        }
        Path jar = Path.of(args[1]);
        String expectedName = args[2];
        String artifactId = args[3];
        String version = args[4];
        Path bom = Path.of(args[5]);

        List<String> problems = new ArrayList<>();
        if (expectedName.startsWith("${")) {
            problems.add(artifactId + "/pom.xml sets no module.name property (its Automatic-Module-Name)");
        } else {
            checkModule(jar, expectedName, artifactId, problems);
        }
        checkBom(bom, artifactId, version, problems);
        if (!problems.isEmpty()) {
            fail(problems);
        }
    }

    private static void checkModule(Path jar, String expectedName, String artifactId, List<String> problems) {
        if (!Files.isRegularFile(jar)) {
            problems.add(artifactId + ": no jar at " + jar);
            return;
        }
        ModuleDescriptor descriptor;
        try {
            descriptor = ModuleFinder.of(jar).findAll().iterator().next().descriptor();
        } catch (FindException e) {
            problems.add(artifactId + ": the JVM cannot derive a module from " + jar.getFileName() + ": " + e.getMessage());
            return;
        }
        if (!descriptor.name().equals(expectedName)) {
            problems.add(artifactId + ": the jar's module name is '" + descriptor.name() + "', expected '"
                    + expectedName + "' (Automatic-Module-Name missing from the manifest?)");
        }
        Set<String> packages = descriptor.packages();
        for (String p : packages) {
            if (!p.equals(expectedName) && !p.startsWith(expectedName + ".")) {
                problems.add(artifactId + ": package " + p + " is outside the module's root package " + expectedName);
            }
        }
    }

    private static void checkBom(Path bom, String artifactId, String version, List<String> problems)
            throws Exception {
        if (!Files.isRegularFile(bom)) {
            problems.add("no tracker-bom at " + bom);
            return;
        }
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(bom.toFile());
        Element project = doc.getDocumentElement();
        String bomVersion = childText(project, "version");
        if (!version.equals(bomVersion)) {
            problems.add("tracker-bom has version " + bomVersion + ", the reactor " + version
                    + " (mvn versions:set -DprocessAllModules updates both)");
        }
        NodeList dependencies = doc.getElementsByTagName("dependency");
        for (int i = 0; i < dependencies.getLength(); i++) {
            Element dependency = (Element) dependencies.item(i);
            if ("dev.progresstracker".equals(childText(dependency, "groupId"))
                    && artifactId.equals(childText(dependency, "artifactId"))) {
                String managed = childText(dependency, "version");
                if (!"${project.version}".equals(managed)) {
                    problems.add("tracker-bom manages " + artifactId + " at " + managed + ", expected ${project.version}");
                }
                return;
            }
        }
        problems.add("tracker-bom does not manage " + artifactId + ": add it to tracker-bom/pom.xml");
    }

    private static String childText(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element && ((Element) n).getTagName().equals(name)) {
                return n.getTextContent().trim();
            }
        }
        return null;
    }

    private static void fail(List<String> problems) {
        problems.forEach(p -> System.err.println("published-jar check: " + p));
        System.exit(1);
    }
}
