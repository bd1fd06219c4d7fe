package dev.progresstracker.eventbridge.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.progresstracker.test.SampleRuns;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.eventbridge.model.EventBridgeException;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/** {@link CallVerdict#classify}: every rule, with no SDK transport and no publisher. */
class CallVerdictTest {

    private static final int MAX_ATTEMPTS = 3;
    private final EntryMapper mapper = new EntryMapper("eks-upgrade-agent", null, 262_144);
    private final List<PendingEntry> batch = SampleRuns.failure("verdict").stream()
            .limit(4)
            .map(e -> mapper.map(e, 0))
            .toList();

    private static PutEventsResultEntry ok() {
        return PutEventsResultEntry.builder().eventId("id").build();
    }

    private static PutEventsResultEntry failed(String code) {
        return PutEventsResultEntry.builder()
                .errorCode(code)
                .errorMessage("injected " + code)
                .build();
    }

    private static EventBridgeException aws(int status, String code) {
        AwsErrorDetails.Builder d = AwsErrorDetails.builder().errorMessage("injected");
        if (code != null) {
            d.errorCode(code);
        }
        return (EventBridgeException) EventBridgeException.builder()
                .statusCode(status)
                .awsErrorDetails(d.build())
                .build();
    }

    @Test
    void anAnsweredCallSortsEachEntryByItsOwnResult() {
        batch.get(3).attempts = MAX_ATTEMPTS - 1;
        PutEventsResponse r = PutEventsResponse.builder()
                .failedEntryCount(3)
                .entries(ok(), failed("ThrottlingException"), failed("ValidationException"), failed("InternalFailure"))
                .build();
        CallVerdict v = CallVerdict.classify(batch, r, null, MAX_ATTEMPTS);

        assertThat(v.callCause()).isNull();
        assertThat(v.countsAttempts()).isTrue();
        assertThat(v.accepted()).containsExactly(batch.get(0));
        assertThat(v.retry()).containsExactly(batch.get(1));
        assertThat(v.rejected()).extracting(CallVerdict.Rejection::entry).containsExactly(batch.get(2), batch.get(3));
        assertThat(v.rejected())
                .extracting(CallVerdict.Rejection::code)
                .containsExactly("ValidationException", "InternalFailure (attempts exhausted)");
        assertThat(v.rejected())
                .extracting(CallVerdict.Rejection::cause)
                .containsExactly(FailureCause.REJECTED, FailureCause.THROTTLED_OR_SERVER_ERROR);
        assertThat(batch)
                .extracting(e -> e.attempts)
                .as("classify changes nothing")
                .containsExactly(0, 0, 0, 2);
    }

    @Test
    void aResponseWithoutOneResultPerEntryRetriesAllIfAnyFailed() {
        PutEventsResponse r = PutEventsResponse.builder()
                .failedEntryCount(1)
                .entries(failed("InternalFailure"))
                .build();
        CallVerdict v = CallVerdict.classify(batch, r, null, MAX_ATTEMPTS);
        assertThat(v.retry()).containsExactlyElementsOf(batch);
        assertThat(CallVerdict.classify(
                                batch,
                                PutEventsResponse.builder().failedEntryCount(0).build(),
                                null,
                                MAX_ATTEMPTS)
                        .accepted())
                .containsExactlyElementsOf(batch);
    }

    @Test
    void anOutageOfTheWholeCallIsRetriedWithoutLimitAndUsesNoAttempt() {
        batch.forEach(e -> e.attempts = 50);
        for (Throwable t : List.of(
                new CompletionException(SdkClientException.create("Connection refused")),
                new TimeoutException(),
                aws(503, "ServiceUnavailableException"),
                aws(400, "ThrottlingException"))) {
            CallVerdict v = CallVerdict.classify(batch, null, t, MAX_ATTEMPTS);
            assertThat(v.outage()).as(t.toString()).isTrue();
            assertThat(v.countsAttempts()).isFalse();
            assertThat(v.retry()).containsExactlyElementsOf(batch);
            assertThat(v.rejected()).isEmpty();
        }
        assertThat(CallVerdict.classify(batch, null, new TimeoutException(), 3).callCause())
                .isEqualTo(FailureCause.UNREACHABLE);
        assertThat(CallVerdict.classify(batch, null, aws(500, null), 3).callCause())
                .isEqualTo(FailureCause.THROTTLED_OR_SERVER_ERROR);
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
        "400, UnrecognizedClientException, BAD_CREDENTIALS",
        "400, ExpiredTokenException, BAD_CREDENTIALS",
        "403, , BAD_CREDENTIALS",
        "400, AccessDeniedException, ACCESS_DENIED",
        "400, ResourceNotFoundException, MISSING_BUS",
        "404, , BAD_ENDPOINT",
        "400, UnknownOperationException, BAD_ENDPOINT",
    })
    void aConfigurationErrorIsRetriedUntilTheEntryHasMadeMaxAttempts(int status, String code, FailureCause cause) {
        batch.get(0).attempts = MAX_ATTEMPTS - 1;
        CallVerdict v = CallVerdict.classify(batch, null, aws(status, code), MAX_ATTEMPTS);
        assertThat(v.callCause()).isEqualTo(cause);
        assertThat(v.outage()).isFalse();
        assertThat(v.countsAttempts()).isTrue();
        assertThat(v.retry()).containsExactlyElementsOf(batch.subList(1, batch.size()));
        assertThat(v.rejected()).singleElement().satisfies(x -> {
            assertThat(x.entry()).isSameAs(batch.get(0));
            assertThat(x.cause()).isEqualTo(cause);
            assertThat(x.code()).endsWith("(attempts exhausted)");
        });
    }

    @Test
    void clientSideCausesAreToldApart() {
        SdkClientException unknownHost = SdkClientException.builder()
                .message("Unable to execute HTTP request")
                .cause(new UnknownHostException("events.no-such-region.amazonaws.com"))
                .build();
        assertThat(CallVerdict.classify(batch, null, unknownHost, 3).callCause())
                .isEqualTo(FailureCause.BAD_ENDPOINT);
        SdkClientException noCredentials =
                SdkClientException.create("Unable to load credentials from any of the providers in the chain");
        assertThat(CallVerdict.classify(batch, null, noCredentials, 3).callCause())
                .isEqualTo(FailureCause.BAD_CREDENTIALS);
    }

    @Test
    void aValidationErrorOfTheWholeCallIsRejectedAtOnce() {
        CallVerdict v = CallVerdict.classify(batch, null, aws(400, "ValidationException"), MAX_ATTEMPTS);
        assertThat(v.callCause()).isEqualTo(FailureCause.REJECTED);
        assertThat(v.retry()).isEmpty();
        assertThat(v.rejected()).extracting(CallVerdict.Rejection::code).containsOnly("ValidationException");
        assertThat(CallVerdict.classify(batch, null, new IllegalStateException("bug"), MAX_ATTEMPTS)
                        .rejected())
                .hasSize(batch.size());
    }

    @Test
    void bookingCountsOneAttemptOfEachUndeliveredEntryExceptInAnOutage() {
        batch.get(1).attempts = 1;
        PutEventsResponse r = PutEventsResponse.builder()
                .failedEntryCount(3)
                .entries(ok(), failed("ThrottlingException"), failed("InternalFailure"), failed("ValidationException"))
                .build();
        CallVerdict answered = CallVerdict.classify(batch, r, null, MAX_ATTEMPTS);
        assertThat(answered.bookAttempts())
                .as("the backoff step: the highest attempt to retry")
                .isEqualTo(2);
        assertThat(batch).extracting(e -> e.attempts).containsExactly(0, 2, 1, 1);

        CallVerdict outage = CallVerdict.classify(batch, null, new TimeoutException(), MAX_ATTEMPTS);
        assertThat(outage.bookAttempts()).isZero();
        assertThat(batch)
                .extracting(e -> e.attempts)
                .as("an outage uses no attempt")
                .containsExactly(0, 2, 1, 1);
    }
}
