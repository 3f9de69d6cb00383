# The service image: built with Maven, run on a JRE. Used by docker-compose.yml.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -ntp -DskipTests install

FROM eclipse-temurin:17-jre
WORKDIR /app
COPY --from=build /src/app/target/quarkus-app/ /app/
ENV RAG_DATA_DIR=/data
VOLUME /data
EXPOSE 8080
ENTRYPOINT ["java", "-Xmx4g", "-jar", "/app/quarkus-run.jar"]
