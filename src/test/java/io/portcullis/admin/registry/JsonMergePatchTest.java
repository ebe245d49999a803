package io.portcullis.admin.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 7396 merge patches applied to resource properties. */
class JsonMergePatchTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "{0} + {1}")
    @CsvSource(delimiter = '|', value = {
            "{'state':'Enabled'} | {'state':'Disabled'} | {'state':'Disabled'}",
            "{'state':'Enabled','description':'x'} | {'description':null} | {'state':'Enabled'}",
            "{'state':'Enabled'} | {'description':'new'} | {'state':'Enabled','description':'new'}",
            "{'attributes':{'a':'1','b':'2'}} | {'attributes':{'b':null,'c':3}} | {'attributes':{'a':'1','c':3}}",
            "{'attributes':{'roles':['x','y']}} | {'attributes':{'roles':['z']}} | {'attributes':{'roles':['z']}}",
            "{'topicTemplates':['a/#']} | {'topicTemplates':'b'} | {'topicTemplates':'b'}",
            "{'auth':'text'} | {'auth':{'scheme':'T'}} | {'auth':{'scheme':'T'}}",
            "{'auth':{'scheme':'T','list':['A']}} | {'auth':{'list':null}} | {'auth':{'scheme':'T'}}",
            "{'a':'1'} | {} | {'a':'1'}",
            "{'a':{'b':{'c':'d'}}} | {'a':{'b':{'e':null}}} | {'a':{'b':{'c':'d'}}}"
    })
    void mergesLikeRfc7396(String target, String patch, String expected) throws Exception {
        JsonNode targetNode = read(target);
        JsonNode before = targetNode.deepCopy();

        JsonNode merged = JsonMergePatch.apply(targetNode, read(patch));

        assertThat(merged).isEqualTo(read(expected));
        assertThat(targetNode).as("the target is not modified").isEqualTo(before);
    }

    private static JsonNode read(String text) throws Exception {
        return JSON.readTree(text.replace('\'', '"'));
    }
}
