package dev.progresstracker.eventbridge;

import dev.progresstracker.test.aws.AwsEmulatorExtension;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The few CloudFormation calls the kit deployment test needs, over the Query protocol. The SDK's
 * {@code cloudformation} client of the pinned version is not on the reachable Maven Central, and moto
 * does not check signatures; the credential scope in the Authorization header routes the call.
 */
final class CloudFormationQuery {

    private final URI endpoint;
    private final HttpClient http = HttpClient.newHttpClient();

    CloudFormationQuery(URI endpoint) {
        this.endpoint = endpoint;
    }

    String call(Map<String, String> params) throws IOException, InterruptedException {
        Map<String, String> all = new LinkedHashMap<>(params);
        all.put("Version", "2010-05-15");
        String body = all.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest req = HttpRequest.newBuilder(endpoint)
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .header(
                        "Authorization",
                        "AWS4-HMAC-SHA256 Credential=" + AwsEmulatorExtension.ACCESS_KEY_ID
                                + "/20260101/" + AwsEmulatorExtension.REGION + "/cloudformation/aws4_request, "
                                + "SignedHeaders=host, Signature=0")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(
                    "CloudFormation " + params.get("Action") + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    /** Text of every {@code <tag>…</tag>} in {@code xml}, in order. */
    static List<String> all(String xml, String tag) {
        Matcher m = Pattern.compile("<" + tag + ">([^<]*)</" + tag + ">").matcher(xml);
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group(1)
                    .replace("&quot;", "\"")
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&amp;", "&"));
        }
        return out;
    }

    static String one(String xml, String tag) {
        List<String> v = all(xml, tag);
        if (v.size() != 1) {
            throw new IllegalStateException("expected one <" + tag + "> in " + xml);
        }
        return v.get(0);
    }

    String stackStatus(String stack) throws IOException, InterruptedException {
        return one(call(Map.of("Action", "DescribeStacks", "StackName", stack)), "StackStatus");
    }

    Map<String, String> outputs(String stack) throws IOException, InterruptedException {
        String xml = call(Map.of("Action", "DescribeStacks", "StackName", stack));
        List<String> keys = all(xml, "OutputKey");
        List<String> values = all(xml, "OutputValue");
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            out.put(keys.get(i), values.get(i));
        }
        return out;
    }

    /** Logical id → resource type of every resource the stack holds. */
    Map<String, String> resources(String stack) throws IOException, InterruptedException {
        String xml = call(Map.of("Action", "ListStackResources", "StackName", stack));
        List<String> ids = all(xml, "LogicalResourceId");
        List<String> types = all(xml, "ResourceType");
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            out.put(ids.get(i), types.get(i));
        }
        return out;
    }
}
