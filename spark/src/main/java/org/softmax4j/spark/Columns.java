package org.softmax4j.spark;

import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.softmax4j.Validate;

/** The input and output columns of training and scoring, checked against a schema. */
final class Columns {

    private Columns() {
    }

    /**
     * @return {@code schema} plus the output columns whose names are not empty (logits, probabilities, prediction,
     * top-k)
     */
    static StructType scored(SoftmaxRegressionParams p, StructType schema) {
        requireVector(schema, p.getFeaturesCol());
        StructType out = schema;
        out = appendVector(out, p.getRawPredictionCol());
        out = appendVector(out, p.getProbabilityCol());
        if (!p.getPredictionCol().isEmpty()) {
            requireAbsent(out, p.getPredictionCol());
            out = out.add(p.getPredictionCol(), DataTypes.DoubleType, false);
        }
        if (!p.getTopKCol().isEmpty()) {
            requireAbsent(out, p.getTopKCol());
            out = out.add(p.getTopKCol(), DataTypes.createArrayType(DataTypes.IntegerType, false), false);
        }
        return out;
    }

    /** Checks the training columns: a Vector of features, a numeric label, a numeric weight if named. */
    static void requireTraining(SoftmaxRegressionParams p, StructType schema) {
        requireVector(schema, p.getFeaturesCol());
        requireNumeric(schema, p.getLabelCol());
        if (!p.getWeightCol().isEmpty()) {
            requireNumeric(schema, p.getWeightCol());
        }
    }

    private static StructType appendVector(StructType schema, String name) {
        if (name.isEmpty()) {
            return schema;
        }
        requireAbsent(schema, name);
        return schema.add(name, SQLDataTypes.VectorType(), false);
    }

    private static StructField field(StructType schema, String name) {
        for (StructField f : schema.fields()) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        throw Validate.bad("column " + name, "a column of the dataset", "none among " + String.join(", ",
                schema.fieldNames()));
    }

    private static void requireVector(StructType schema, String name) {
        StructField f = field(schema, name);
        if (!f.dataType().equals(SQLDataTypes.VectorType())) {
            throw Validate.bad("column " + name, "an ML Vector", f.dataType().simpleString());
        }
    }

    private static void requireNumeric(StructType schema, String name) {
        StructField f = field(schema, name);
        if (!(f.dataType() instanceof NumericType)) {
            throw Validate.bad("column " + name, "a numeric type", f.dataType().simpleString());
        }
    }

    private static void requireAbsent(StructType schema, String name) {
        for (String existing : schema.fieldNames()) {
            if (existing.equals(name)) {
                throw Validate.bad("output column " + name, "a name not already in the dataset", name);
            }
        }
    }
}
