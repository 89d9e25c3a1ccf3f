package io.cyroid.api.openapi;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.Optional;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI description at /v3/api-docs (and .yaml, Swagger UI at /swagger-ui.html): the product's title, its
 * build's version, HTTP Basic declared for every operation. Tags, error responses and examples are added to whatever
 * the controllers declare by {@link ApiConventions} and {@link ApiExamples}, from the paths, so that a new
 * controller is covered without annotations of its own.
 */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfiguration {

    static final String BASIC = "basicAuth";
    static final String DESCRIPTION = """
            Cyroid deploys cyber ranges: a blueprint (networks, VMs, resources) becomes a range, each range in its own \
            Docker-in-Docker engine. Register blueprints, deploy and destroy ranges, act on their VMs, follow them \
            live (Server-Sent Events), and read the audit log.

            Conventions: every refusal is application/problem+json (RFC 9457) with title, status and detail, and for \
            a 400 the offending fields under `errors`; times are ISO-8601 UTC (`2026-11-29T21:14:20.123Z`); lists \
            that page answer `{items, page, size, total}` with `page` from 0; HTTP Basic on everything under /api.""";

    @Bean
    OpenAPI cyroidOpenApi(ObjectProvider<BuildProperties> build) {
        return new OpenAPI()
                .info(new Info().title("Cyroid API").version(version(build.getIfAvailable()))
                        .description(DESCRIPTION))
                .components(new Components()
                        .addSecuritySchemes(BASIC, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("basic")
                                .description("user admin, password CYROID_ADMIN_PASSWORD (docs/operations.md)")))
                .addSecurityItem(new SecurityRequirement().addList(BASIC));
    }

    /**
     * The build's version (META-INF/build-info.properties, written by the Maven build), else the jar manifest's:
     * never a number typed in here that the next release would forget to change.
     */
    static String version(BuildProperties build) {
        return Optional.ofNullable(build).map(BuildProperties::getVersion)
                .or(() -> Optional.ofNullable(OpenApiConfiguration.class.getPackage().getImplementationVersion()))
                .orElse("unknown");
    }

    @Bean
    OpenApiCustomizer apiConventions() {
        return new ApiConventions();
    }

    @Bean
    OpenApiCustomizer apiExamples() {
        return new ApiExamples();
    }
}
